# Records testdata/arp.pcap (a one-off, not a test): the Linux kernel's
# own ARP between two network namespaces joined by a veth pair (a UDP datagram
# resolves the peer), then frames a raw socket sends on the same wire to
# show what tshark makes of the unusual ones: a gratuitous request, an
# announcement, a probe, a reply padded to Ethernet's 60 bytes, another
# hardware type, an unknown opcode and a cut-off one.
# As root: unshare -n python3 arp.gen.py OUT.pcap
import socket, struct, subprocess, sys

out = sys.argv[1]
def sh(*a): subprocess.run(a, check=True)
sh("ip", "netns", "add", "wt-arp-b")
try:
    sh("ip", "link", "add", "veth-a", "address", "02:00:00:00:00:01", "type", "veth",
       "peer", "name", "veth-b", "address", "02:00:00:00:00:02", "netns", "wt-arp-b")
    sh("ip", "addr", "add", "192.168.24.1/24", "dev", "veth-a")
    sh("ip", "link", "set", "veth-a", "up")
    sh("ip", "-n", "wt-arp-b", "addr", "add", "192.168.24.2/24", "dev", "veth-b")
    sh("ip", "-n", "wt-arp-b", "link", "set", "veth-b", "up")
    sh("sysctl", "-q", "net.ipv6.conf.all.disable_ipv6=1")
    td = subprocess.Popen(["tcpdump", "-i", "veth-a", "-U", "-c", "16", "-w", out, "arp"],
                          stderr=subprocess.PIPE, text=True)
    for line in td.stderr:  # wait until tcpdump listens: no sleep
        if "listening on" in line:
            break
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("192.168.24.2", 9))
    # The reply comes back before the datagram leaves: wait for the
    # answer the peer's port unreachable gives.
    u.settimeout(5)
    u.connect(("192.168.24.2", 9))
    u.send(b"x")
    try:
        u.recv(1)
    except OSError:
        pass
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind(("veth-a", 0))
    me, bc, zero = bytes.fromhex("020000000001"), b"\xff" * 6, b"\0" * 6
    ip = lambda a: socket.inet_aton(a)
    def arp(dst, op, sha, spa, tha, tpa, hw=1, pad=0, cut=None, pro=0x0800):
        b = dst + me + b"\x08\x06" + struct.pack("!HHBBH", hw, pro, len(sha), len(spa), op) + sha + spa + tha + tpa
        b = b[:cut] if cut else b + b"\0" * pad
        s.send(b)
    arp(bc, 1, me, ip("192.168.24.1"), zero, ip("192.168.24.1"))            # gratuitous request
    arp(bc, 2, me, ip("192.168.24.1"), bc, ip("192.168.24.1"))              # gratuitous reply
    arp(bc, 1, me, ip("0.0.0.0"), zero, ip("192.168.24.7"))                 # probe
    arp(bytes.fromhex("020000000002"), 2, me, ip("192.168.24.1"), bytes.fromhex("020000000002"), ip("192.168.24.2"), pad=18)  # padded reply
    arp(bc, 1, me, ip("192.168.24.1"), zero, ip("192.168.24.9"), hw=6)      # IEEE 802 hardware
    arp(bc, 9, me, ip("192.168.24.1"), zero, ip("192.168.24.2"))            # opcode 9 (an inverse ARP reply)
    arp(bc, 1, me, ip("192.168.24.1"), zero, ip("192.168.24.2"), cut=14 + 20)  # cut off
    arp(bc, 1, zero, ip("192.168.24.1"), zero, ip("192.168.24.2"))            # all-zero sender MAC, which the peer answers
    arp(bc, 1, me, ip("192.168.24.1"), bc, ip("192.168.24.1"))              # gratuitous request to all
    arp(bc, 3, me, zero[:4], me, zero[:4])                                   # reverse request
    arp(bc, 4, me, ip("192.168.24.1"), me, ip("192.168.24.5"))              # reverse reply
    arp(bc, 8, me, ip("192.168.24.1"), bytes.fromhex("020000000002"), zero[:4])  # inverse request
    arp(bc, 1, b"\x01\x02\x03", b"\x0a\x0b", b"\x04\x05\x06", b"\x0c\x0d", hw=0x20, pro=0x1234)  # other sizes
    td.wait(timeout=10)
finally:
    subprocess.run(["ip", "netns", "del", "wt-arp-b"])
