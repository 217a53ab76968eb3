# HTTP by hand (lab 000): write the request ourselves over a plain TCP
# socket to 127.0.0.1:8080. HTTP/1.1 lines end in \r\n and the head ends
# with an empty line. "Connection: close" asks the server to close after
# its answer, so we read until it does.
import socket
import sys

SERVER = ("127.0.0.1", 8080)
REQUEST = (
    "GET / HTTP/1.1\r\n"
    "Host: 127.0.0.1:8080\r\n"
    "Connection: close\r\n"
    "\r\n"
).encode("ascii")


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect(SERVER)
    except ConnectionRefusedError:
        print(f"nothing listens on {SERVER[0]}:{SERVER[1]} (connection refused)", flush=True)
        sys.exit(1)
    sock.sendall(REQUEST)
    print(f"sent GET / to {SERVER[0]}:{SERVER[1]}", flush=True)

    response = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:  # the server closed: the answer is complete
            break
        response += chunk
    sock.close()

    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.decode("latin-1").split("\r\n"):
        print(line, flush=True)  # the status line, then the headers
    print(f"body: {len(body)} bytes", flush=True)
    sys.exit(0 if response else 1)


if __name__ == "__main__":
    main()
