# UDP echo server (lab 000): receives datagrams on 127.0.0.1:10001 and
# sends each back upper-cased to whoever sent it, from this same socket,
# so the answer comes from port 10001. An empty datagram gets an empty
# answer. Runs until killed.
import socket

HOST, PORT = "127.0.0.1", 10001


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, PORT))
    print(f"UDP echo server listening on {HOST}:{PORT}", flush=True)
    while True:
        data, addr = sock.recvfrom(2048)
        print(f"got {data.decode(errors='replace')!r} from {addr[0]}:{addr[1]}", flush=True)
        sock.sendto(data.upper(), addr)


if __name__ == "__main__":
    main()
