# Chat client (homework 001's protocol). The first line of stdin is our
# nickname. The server asks for it by sending exactly "NICK"; we answer
# with the bare nickname. Every further line of stdin is sent as
# "nick: line". A receiving thread prints what the server relays. At the
# end of stdin we go on receiving, as the homework's client does; when
# the server closes the connection we say so and exit 0.
import os
import socket
import sys
import threading

SERVER = ("127.0.0.1", 55555)


def receive(sock, nick, joined, pending):
    while True:
        try:
            data = sock.recv(1024)
        except OSError:
            data = b""
        if not data:
            print("the server closed the connection", flush=True)
            sock.close()
            os._exit(0)  # also ends the main thread, maybe waiting on stdin
        message = data.decode(errors="replace")
        if message == "NICK":
            sock.sendall(nick.encode())
            continue
        print(message, flush=True)
        if "Connected to server!" in message:
            joined.set()
        for text in list(pending):  # our own lines, relayed back to us
            if text in message:
                pending.pop(text).set()


def main():
    try:
        nick = input().strip()
    except EOFError:
        print("no nickname: the first line of stdin must be one", flush=True)
        sys.exit(1)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect(SERVER)
    except ConnectionRefusedError:
        print(f"nothing listens on {SERVER[0]}:{SERVER[1]} (connection refused)", flush=True)
        sys.exit(1)
    print(f"connected to {SERVER[0]}:{SERVER[1]} as {nick}", flush=True)
    joined = threading.Event()
    pending = {}  # lines sent, not yet seen relayed: text -> Event
    receiver = threading.Thread(target=receive, args=(sock, nick, joined, pending))
    receiver.start()

    # Wait until the server has our nickname, or our first line could be
    # read as the nickname.
    joined.wait(5)
    for line in sys.stdin:
        text = nick + ": " + line.rstrip("\r\n")
        seen = pending[text] = threading.Event()
        try:
            sock.sendall(text.encode())
        except OSError:
            break  # the receiving thread reports the close
        # Wait (a little) until the server relays it, so that two lines do
        # not reach the server in one recv() and come back as one message.
        seen.wait(2)
    receiver.join()  # stdin is over: keep receiving until the server goes


if __name__ == "__main__":
    main()
