# BROKEN on purpose: the chat server announces joins and leaves to
# everyone, but sends each chat message back only to its sender (an
# echo, not a broadcast): the other clients never see it.
# Expected grade: FAIL (chat, --role server): a message from one client
# never leaves port 55555 towards the others; NICK, "joined!" and the
# echo to the sender itself are fine.
import socket
import threading

HOST, PORT = "127.0.0.1", 55555


class Room:
    """The connected clients and their nicknames, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.members = {}  # socket -> nickname

    def broadcast(self, data):
        with self.lock:  # one message at a time, in the same order for all
            for sock in self.members:
                try:
                    sock.sendall(data)
                except OSError:
                    pass  # that client's own thread will notice and clean up


def handle(room, conn, addr):
    try:
        conn.sendall(b"NICK")
        nick = conn.recv(1024).decode(errors="replace").strip()
    except OSError:
        nick = ""
    if not nick:
        conn.close()
        return
    with room.lock:
        room.members[conn] = nick
    print(f"{addr[0]}:{addr[1]} is {nick}", flush=True)
    room.broadcast(f"{nick} joined!".encode())
    conn.sendall(b"Connected to server!")

    while True:
        try:
            data = conn.recv(1024)
        except OSError:
            data = b""
        if not data:  # the client has gone
            break
        print(f"echoing {data.decode(errors='replace')!r}", flush=True)
        try:
            conn.sendall(data)  # the bug: should be room.broadcast(data)
        except OSError:
            break

    with room.lock:
        del room.members[conn]
    conn.close()
    print(f"{nick} left", flush=True)
    room.broadcast(f"{nick} left!".encode())


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"chat server listening on {HOST}:{PORT}", flush=True)
    room = Room()
    while True:
        conn, addr = server.accept()
        print(f"connection from {addr[0]}:{addr[1]}", flush=True)
        threading.Thread(target=handle, args=(room, conn, addr), daemon=True).start()


if __name__ == "__main__":
    main()
