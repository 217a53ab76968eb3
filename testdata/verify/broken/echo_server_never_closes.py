# BROKEN on purpose: the TCP echo server sees the client's FIN (recv
# returns b"") but never closes its side: it keeps the connection in a
# list and goes on accepting. Only the client's FIN is seen; the server's
# side stays in CLOSE_WAIT.
# Expected grade: FAIL (tcp-handshake, --role server): one FIN instead of
# two (the server never sends its FIN); handshake and data are fine.
import socket

HOST, PORT = "127.0.0.1", 10000


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"echo server listening on {HOST}:{PORT}", flush=True)
    kept = []  # the bug: finished connections pile up here, never closed
    while True:
        conn, addr = server.accept()
        print(f"connection from {addr[0]}:{addr[1]}", flush=True)
        try:
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                conn.sendall(data.upper())
        except ConnectionError:  # a RST from the client (reset, broken pipe)
            print("the client reset the connection", flush=True)
        kept.append(conn)
        print("client closed; keeping our side open", flush=True)


if __name__ == "__main__":
    main()
