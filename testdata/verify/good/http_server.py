# A web server by hand (lab 000) on 127.0.0.1:8080: read the request head,
# look at the request line, write the answer, close. GET / gets a page,
# GET /old a permanent redirect to /, anything else 404. Runs until killed.
import socket

HOST, PORT = "127.0.0.1", 8080
PAGE = b"<!DOCTYPE html>\n<html><head><title>Hello</title></head>\n<body><h1>Hello from a hand-made server</h1></body></html>\n"
NOT_FOUND = b"<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n"


def read_head(conn):
    """Read until the empty line that ends the head; None if the client goes."""
    data = b""
    # A bare \n\n is accepted too, as most servers do.
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        chunk = conn.recv(1024)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
    return data


def response(status, headers, body=b""):
    lines = [f"HTTP/1.1 {status}"] + [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body


def answer(request_line):
    parts = request_line.split()
    method, path = (parts[0], parts[1]) if len(parts) == 3 else ("", "")
    if method == "GET" and path == "/":
        return response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                   ("Content-Length", len(PAGE)), ("Connection", "close")], PAGE)
    if method == "GET" and path == "/old":
        return response("301 Moved Permanently", [("Location", "/"),
                                                  ("Content-Length", 0), ("Connection", "close")])
    return response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", len(NOT_FOUND)), ("Connection", "close")], NOT_FOUND)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"HTTP server listening on {HOST}:{PORT}", flush=True)
    while True:
        conn, addr = server.accept()
        try:
            head = read_head(conn)
            if head is not None:
                request_line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("latin-1")
                reply = answer(request_line)
                conn.sendall(reply)
                status = reply.split(b"\r\n", 1)[0].decode()
                print(f"{addr[0]}:{addr[1]} {request_line!r} -> {status}", flush=True)
                conn.shutdown(socket.SHUT_WR)  # our FIN: the answer is complete
        except OSError as err:
            print(f"{addr[0]}:{addr[1]}: {err}", flush=True)
        conn.close()


if __name__ == "__main__":
    main()
