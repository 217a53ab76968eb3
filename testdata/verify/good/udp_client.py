# UDP echo client (lab 000): one datagram to 127.0.0.1:10001, then one
# empty datagram (8 bytes of UDP header, no data). UDP has no connection:
# no handshake and no close, just datagrams.
import socket
import sys

SERVER = ("127.0.0.1", 10001)


def ask(sock, data):
    """Send one datagram and wait for the answer; None on a timeout."""
    sock.sendto(data, SERVER)
    print(f"sent {data.decode()!r} to {SERVER[0]}:{SERVER[1]}", flush=True)
    try:
        reply, addr = sock.recvfrom(2048)
    except socket.timeout:
        print("no answer within 5 seconds", flush=True)
        return None
    print(f"answer from {addr[0]}:{addr[1]}: {reply.decode()!r}", flush=True)
    return reply


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)  # a datagram can be lost: do not wait forever
    ok = ask(sock, b"hello server") is not None
    ok = ask(sock, b"") is not None and ok  # an empty datagram is legal
    sock.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
