# One-shot TCP receiver (lab 004): a server socket bound to
# 127.0.0.1:24000. It accepts ONE connection, reads until the sender has
# closed, prints what came, closes both sockets and exits.
import socket

HOST, PORT = "127.0.0.1", 24000


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(1)
    print(f"receiver listening on {HOST}:{PORT}", flush=True)

    conn, addr = server.accept()
    print(f"connection from {addr[0]}:{addr[1]}", flush=True)
    data = b""
    while True:
        chunk = conn.recv(1024)
        if not chunk:  # the sender closed its side
            break
        data += chunk
    print(f"received {data.decode(errors='replace')!r}", flush=True)
    conn.close()
    server.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
