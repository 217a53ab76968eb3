# TCP echo client (lab 000): sends one line to the echo server on
# 127.0.0.1:10000 and reads back the same number of bytes, upper-cased.
# Packets: the handshake (SYN, SYN-ACK, ACK), our 12 bytes, the server's
# 12 bytes, then a FIN from each side.
import socket
import sys

HOST, PORT = "127.0.0.1", 10000
MESSAGE = b"hello server"


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect((HOST, PORT))  # the kernel does the three-way handshake
    except ConnectionRefusedError:  # the answer to our SYN was a RST
        print(f"nothing listens on {HOST}:{PORT} (connection refused)", flush=True)
        sys.exit(1)
    print(f"connected to {HOST}:{PORT}", flush=True)
    sock.sendall(MESSAGE)
    print(f"sent {MESSAGE.decode()!r}", flush=True)

    # TCP is a byte stream: the reply may come in pieces, so read until
    # we have as many bytes as we sent.
    reply = b""
    while len(reply) < len(MESSAGE):
        chunk = sock.recv(1024)
        if not chunk:  # the server closed early
            break
        reply += chunk
    print(f"server replied {reply.decode()!r}", flush=True)

    sock.close()  # everything was read, so this sends a FIN
    print("connection closed", flush=True)
    sys.exit(0 if len(reply) == len(MESSAGE) else 1)


if __name__ == "__main__":
    main()
