# BROKEN on purpose: the hand-written HTTP request ends its lines with a
# bare "\n" instead of "\r\n", as HTTP/1.1 requires (RFC 9112, 2.2). Some
# servers accept it, many reject it (400) or wait for the "\r\n\r\n" that
# never comes.
# Expected grade: FAIL (http-raw): the request's lines end in LF, not
# CRLF (tshark reads the request with an expert note, or not as HTTP).
import socket
import sys

SERVER = ("127.0.0.1", 8080)
REQUEST = (
    "GET / HTTP/1.1\n"  # the bug: each line should end with \r\n
    "Host: 127.0.0.1:8080\n"
    "Connection: close\n"
    "\n"
).encode("ascii")


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(SERVER)
    sock.sendall(REQUEST)
    print(f"sent GET / to {SERVER[0]}:{SERVER[1]} (with bare LF line ends)", flush=True)
    response = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        response += chunk
    sock.close()
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.decode("latin-1").split("\r\n"):
        print(line, flush=True)
    print(f"body: {len(body)} bytes", flush=True)
    sys.exit(0 if response else 1)


if __name__ == "__main__":
    main()
