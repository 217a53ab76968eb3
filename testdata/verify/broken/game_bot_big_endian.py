# BROKEN (game-moves: game.move_ignored; game-takes-coin: game.no_pickup):
# it writes coordinates big-endian, as network order would, but this
# game reads them little-endian: every move asks for a cell far off the
# grid and is dropped, so no state answers and the bot gives up. Exits 1.
import os
import socket
import struct
import sys

HOST = os.environ.get("WIRETUTOR_GAME_HOST", "127.0.0.1")
seq = 0


def frame(kind, pid, body):
    global seq
    seq += 1
    b = bytes([kind, 6 + len(body)]) + struct.pack(">H", seq) + bytes([pid]) + body
    return b + bytes([sum(b) % 256])


def read_exact(s, n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            sys.exit("the server closed the login connection")
        b += chunk
    return b


def state(d):
    n = d[5]
    players = {}
    for i in range(n):
        pid, x, y, hp, score = struct.unpack("<BHHBB", d[6 + 7 * i:13 + 7 * i])
        players[pid] = (x, y)
    at = 6 + 7 * n
    coins = [struct.unpack("<HH", d[at + 1 + 4 * i:at + 5 + 4 * i]) for i in range(d[at])]
    return players, coins


name = b"pybot"
tcp = socket.create_connection((HOST, 24001), timeout=5)
tcp.sendall(frame(0x01, 0, bytes([len(name)]) + name))
head = read_exact(tcp, 2)
msg = head + read_exact(tcp, head[1] - 2)
if msg[0] != 0x81:
    sys.exit("refused: reason %d" % msg[5])
pid, token = msg[4], msg[5:9]
print("welcome: player", pid, flush=True)

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.settimeout(2)
udp.connect((HOST, 24002))
udp.send(frame(0x02, pid, token))
while True:
    try:
        d = udp.recv(2048)
    except socket.timeout:
        sys.exit("no answer from the server")
    if d[0] == 0x91:
        x, y, score = struct.unpack("<HHB", d[5:10])
        print("coin at", x, y, "score", score, flush=True)
        break
    if d[0] != 0x90:
        continue
    players, coins = state(d)
    x, y = players[pid]
    cx, cy = min(coins, key=lambda c: abs(c[0] - x) + abs(c[1] - y))
    if x != cx:
        x += 1 if cx > x else -1
    else:
        y += 1 if cy > y else -1
    if (x, y) == (0, 0):
        # The one cell whose coordinates read the same in either byte
        # order: the server would take it, and hide the mistake.
        x, y = 1, 1
    udp.send(frame(0x03, pid, struct.pack(">HH", x, y)))
tcp.close()
