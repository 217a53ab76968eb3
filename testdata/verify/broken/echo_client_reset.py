# BROKEN on purpose: the TCP echo client closes with the reply still
# unread in its receive buffer. Closing a socket that holds unread data
# makes the kernel send RST instead of FIN (RFC 2525, 2.17).
# Expected grade: FAIL (tcp-handshake): the connection ends with a RST
# from the client, not with a FIN from each side. (In tcp-teardown, this
# is the RST that lesson asks for.)
import select
import socket

SERVER = ("127.0.0.1", 10000)


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(SERVER)
    sock.sendall(b"hello server")
    print("sent 'hello server'", flush=True)
    select.select([sock], [], [], 5)  # wait until the reply has arrived...
    sock.close()  # ...and close without reading it: RST
    print("closed without reading the reply", flush=True)


if __name__ == "__main__":
    main()
