# One-shot TCP sender (lab 004): a client socket, never bound: the kernel
# picks our address and port. Connect to the receiver on 127.0.0.1:24000,
# send one message, release the socket.
import socket
import sys

RECEIVER = ("127.0.0.1", 24000)
MESSAGE = b"x=12 y=7 fire"


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect(RECEIVER)
    except ConnectionRefusedError:
        print(f"nothing listens on {RECEIVER[0]}:{RECEIVER[1]} (connection refused)", flush=True)
        sys.exit(1)
    print(f"connected from port {sock.getsockname()[1]} to {RECEIVER[0]}:{RECEIVER[1]}", flush=True)
    sock.sendall(MESSAGE)
    print(f"sent {MESSAGE.decode()!r}", flush=True)
    sock.close()  # FIN: nothing more to send
    print("socket closed", flush=True)


if __name__ == "__main__":
    main()
