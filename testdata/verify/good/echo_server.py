# TCP echo server (lab 000): listens on 127.0.0.1:10000 and sends every
# chunk it receives back upper-cased ("hello server" -> "HELLO SERVER").
# It closes a connection when the client has closed its side (recv
# returns b""), then serves the next client. Runs until killed.
import socket

HOST, PORT = "127.0.0.1", 10000


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Allow a restart at once, even while an old connection is in TIME_WAIT.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"echo server listening on {HOST}:{PORT}", flush=True)

    while True:
        conn, addr = server.accept()
        print(f"connection from {addr[0]}:{addr[1]}", flush=True)
        try:
            while True:
                data = conn.recv(1024)
                if not data:  # the client sent its FIN
                    break
                print(f"got {data.decode(errors='replace')!r}", flush=True)
                conn.sendall(data.upper())
        except ConnectionError:  # a RST from the client (reset, broken pipe)
            print("the client reset the connection", flush=True)
        conn.close()  # our FIN: the other half of the close
        print("connection closed", flush=True)


if __name__ == "__main__":
    main()
