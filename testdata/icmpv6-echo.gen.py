# Records testdata/icmpv6-echo.pcap (a one-off, not a test): ICMPv6 echoes and a
# port unreachable on a private loopback. As root: unshare -n python3 icmpv6-echo.gen.py OUT.pcap
import socket, struct, subprocess, sys, time

out = sys.argv[1]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
td = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-c", "8", "-w", out, "ip6"],
                      stderr=subprocess.PIPE, text=True)
for line in td.stderr:  # wait until tcpdump listens: no sleep
    if "listening on" in line:
        break

raw = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
raw.settimeout(5)
ident = 0x2a17
for seq in range(1, 4):
    now = time.time()
    data = struct.pack("<qq", int(now), int((now % 1) * 1e6)) + bytes(range(0x10, 0x38))
    pkt = struct.pack("!BBHHH", 128, 0, 0, ident, seq) + data
    raw.sendto(pkt, ("::1", 0))
    while True:  # the kernel's reply (our own request is looped back to us too)
        b, _ = raw.recvfrom(2048)
        if b[0] == 129 and struct.unpack("!H", b[6:8])[0] == seq:
            break

u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.settimeout(5)
u.connect(("::1", 9))
u.send(b"x")
try:
    u.recv(16)
except ConnectionRefusedError:
    pass  # the port unreachable came back
td.wait(timeout=10)
print("ok", td.returncode)
