# BROKEN on purpose: the TCP echo server listens on port 10010 instead of
# 10000, so a client that connects to 10000 gets a RST to its SYN
# (connection refused), and nothing at all happens on port 10000 from
# the server's side.
# Expected grade: FAIL (tcp-handshake, --role server): no SYN-ACK from
# port 10000, no data, no FIN.
import socket

HOST, PORT = "127.0.0.1", 10010  # the bug: the lab's port is 10000


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"echo server listening on {HOST}:{PORT}", flush=True)
    while True:
        conn, addr = server.accept()
        try:
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                conn.sendall(data.upper())
        except ConnectionError:  # a RST from the client (reset, broken pipe)
            print("the client reset the connection", flush=True)
        conn.close()


if __name__ == "__main__":
    main()
