# BROKEN on purpose: the TCP echo client reads its reply but never closes
# the socket; it sleeps forever. No FIN ever leaves it, so the server
# (which waits for the client's FIN) keeps the connection open too.
# Expected grade: FAIL (tcp-handshake): no FIN at all; handshake and data
# are fine. It never exits by itself: it must be killed.
import socket
import time

SERVER = ("127.0.0.1", 10000)
MESSAGE = b"hello server"


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(SERVER)
    sock.sendall(MESSAGE)
    reply = b""
    while len(reply) < len(MESSAGE):
        chunk = sock.recv(1024)
        if not chunk:
            break
        reply += chunk
    print(f"server replied {reply.decode()!r}", flush=True)
    print("not closing the socket", flush=True)
    while True:
        time.sleep(3600)  # the bug: sock.close() is never called


if __name__ == "__main__":
    main()
