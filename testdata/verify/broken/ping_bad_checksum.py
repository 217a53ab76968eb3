# BROKEN on purpose: ping through a raw socket whose checksum does NOT
# fold the carries back in (it keeps sum & 0xffff, then inverts). With a
# payload whose sum overflows 16 bits the checksum is wrong, the kernel
# drops each request as corrupt, and no echo reply ever comes: after
# 2 s per request it prints "no reply" and exits 1.
# Expected grade: FAIL (ping): three echo requests (type 8) with a wrong
# ICMP checksum, and no echo reply (type 0).
import os
import socket
import struct
import sys
import time

TARGET = "127.0.0.1"
# 48 bytes whose 16-bit words (0xfffe) make the sum overflow 16 bits:
# this is what exposes the missing fold.
PAYLOAD = bytes([0xFF, 0xFE]) * 24
WAIT = 2.0  # seconds to wait for each reply


def checksum(data):
    """A WRONG Internet checksum: the carries out of 16 bits are dropped."""
    if len(data) % 2:
        data += b"\x00"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]  # big-endian 16-bit word
    return ~(total & 0xFFFF) & 0xFFFF  # the bug: no folding of total >> 16


def echo_request(ident, seq):
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)  # checksum 0 while summing
    csum = checksum(header + PAYLOAD)
    return struct.pack("!BBHHH", 8, 0, csum, ident, seq) + PAYLOAD


def wait_reply(sock, ident, seq):
    """Wait for the echo reply to (ident, seq); False after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            packet, _ = sock.recvfrom(2048)
        except socket.timeout:
            return False
        ihl = (packet[0] & 0x0F) * 4  # a raw socket hands us the IP header too
        icmp_type, _, _, rid, rseq = struct.unpack("!BBHHH", packet[ihl:ihl + 8])
        # On loopback we also receive our own request (type 8): skip it.
        if icmp_type == 0 and rid == ident and rseq == seq:
            return True


def main():
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    except PermissionError:
        print("a raw socket needs CAP_NET_RAW: run as root, or inside `unshare -rn`", flush=True)
        sys.exit(2)
    ident = os.getpid() & 0xFFFF
    lost = 0
    for seq in (1, 2, 3):
        packet = echo_request(ident, seq)
        start = time.monotonic()
        sock.sendto(packet, (TARGET, 0))
        print(f"echo request to {TARGET}: id={ident} seq={seq} checksum=0x{packet[2]:02x}{packet[3]:02x}", flush=True)
        if wait_reply(sock, ident, seq):
            print(f"echo reply from {TARGET}: seq={seq} time={(time.monotonic() - start) * 1000:.3f} ms", flush=True)
        else:
            print(f"no reply for seq={seq} within {WAIT:g} s", flush=True)
            lost += 1
    sock.close()
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
