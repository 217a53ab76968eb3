# A client of wiretutor's file server, in the lab's style: one request
# line, then a reply line that says how many bytes follow.
#   python3 files_get.py NAME [PORT]      saves NAME's last part here
import socket
import sys

name = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9000
s = socket.create_connection(("127.0.0.1", port))
s.sendall(("GET " + name + "\n").encode())
f = s.makefile("rb")
word, _, rest = f.readline().decode().rstrip("\n").partition(" ")
if word != "OK":
    sys.exit("the server says: " + rest)
data = f.read(int(rest))
s.close()
with open(name.split("/")[-1], "wb") as out:
    out.write(data)
print(len(data), "bytes")
