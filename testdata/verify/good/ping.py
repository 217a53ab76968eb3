# Ping through a raw socket (lab 002): we build the ICMP echo requests
# ourselves (type 8, code 0, checksum, identifier, sequence, payload),
# compute the Internet checksum by hand, send three to 127.0.0.1 and wait
# for the echo replies (type 0) with our identifier and sequence.
import os
import socket
import struct
import sys
import time

TARGET = "127.0.0.1"
# 48 bytes whose 16-bit words (0xfffe) make the sum overflow 16 bits, so
# the checksum is only right if the carries are folded back in.
PAYLOAD = bytes([0xFF, 0xFE]) * 24
WAIT = 2.0  # seconds to wait for each reply


def checksum(data):
    """The Internet checksum: one's-complement sum of 16-bit words, inverted."""
    if len(data) % 2:
        data += b"\x00"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]  # big-endian 16-bit word
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)  # fold the carries back in
    return ~total & 0xFFFF


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
