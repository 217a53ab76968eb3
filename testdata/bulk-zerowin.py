# Makes bulk-zerowin.pcap: a sender pushes 40,000 bytes to a receiver
# that reads slowly through a small receive buffer, so the receiver's
# window closes (zero window), the sender probes, and window updates
# follow. Run as root with tcpdump capturing lo in a private namespace
# whose loopback has an Ethernet-sized MTU:
#   unshare -n sh -c 'ip link set lo up mtu 1500 &&
#     (tcpdump -U -i lo -w bulk-zerowin.pcap tcp port 9000 &) && sleep 1 &&
#     python3 bulk-zerowin.py && sleep 1 && pkill -INT tcpdump; sleep 1'
import socket
import threading
import time

DATA = bytes(i % 251 for i in range(40000))
ln = socket.socket()
ln.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ln.bind(("127.0.0.1", 9000))
ln.listen(1)


def serve():
    c, _ = ln.accept()
    c.recv(100)  # the request line
    c.sendall(b"OK %d\n" % len(DATA) + DATA)
    c.close()


t = threading.Thread(target=serve)
t.start()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", 9000))
s.sendall(b"GET big.bin\n")
got = s.recv(1000)
time.sleep(0.6)  # the reader stalls: the window fills and closes
while True:
    b = s.recv(1000)
    if not b:
        break
    got += b
    time.sleep(0.001)
s.close()
t.join()
print(len(got), "bytes")
