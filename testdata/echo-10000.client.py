"""The echo traffic of echo-10000.pcap (see echo-10000.gen.sh).

An echo server on 127.0.0.1:10000 sends back what it reads; each
conversation's client sends its messages one at a time, each in a
segment of its own, and waits for the echo before the next.
"""
import socket
import threading
import time

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 10000))
srv.listen()


def serve():
    while True:
        c, _ = srv.accept()
        while True:
            b = c.recv(1000)
            if not b:
                break
            c.sendall(b)
        c.close()


threading.Thread(target=serve, daemon=True).start()


def conversation(messages):
    c = socket.create_connection(("127.0.0.1", 10000))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for m in messages:
        c.sendall(m)
        got = b""
        while len(got) < len(m):
            got += c.recv(1000)
        # The echo's ACK goes out before the next message, so that each
        # message is a segment of its own.
        time.sleep(0.05)
    c.close()
    time.sleep(0.1)


# What a learner types: text, some of it shorter than 4 bytes.
conversation([b"a", b"abc", b"ab", b"hello world", b"abcd", b"x", b"\x00\x00\x00\x30" + b"y" * 20, b"z"])
# Bytes that start with a sane record mark (a length of 1 to 1,000,000):
# a fragment in two segments, a fragment of 48 bytes in two, two last
# fragments in one segment, one that ends in the next, one whole.
conversation([b"\x00\x00\x00\x04", b"abcd", b"q"])
conversation([b"\x00\x00\x00\x30" + b"y" * 20, b"y" * 28, b"hi"])
conversation([b"\x80\x00\x00\x01a\x80\x00\x00\x01b", b"\x80\x00\x00\x03ab", b"c"])
conversation([b"\x80\x00\x00\x04abcd"])
