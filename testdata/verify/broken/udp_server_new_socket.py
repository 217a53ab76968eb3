# BROKEN on purpose: the UDP echo server answers each datagram from a NEW
# socket, so the answer leaves from some other port, not from 10001. A
# client that checks where the answer comes from (or a connected UDP
# socket) does not take it as the answer.
# Expected grade: FAIL (udp-echo, --role server): the requests reach
# 10001, but no datagram comes from udp.srcport 10001.
import socket

HOST, PORT = "127.0.0.1", 10001


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, PORT))
    print(f"UDP echo server listening on {HOST}:{PORT}", flush=True)
    while True:
        data, addr = sock.recvfrom(2048)
        reply = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # the bug
        reply.sendto(data.upper(), addr)  # leaves from a port the kernel picks
        print(f"answered {addr[0]}:{addr[1]} from port {reply.getsockname()[1]}", flush=True)
        reply.close()


if __name__ == "__main__":
    main()
