#!/bin/sh
# Records http-8000.pcap: what a learner sees when they capture the
# lab's own web server, `python3 -m http.server` on port 8000, and curl.
# Run once, as root: unshare -n sh http-8000.gen.sh http-8000.pcap
# (a loopback of its own, its MTU set to Ethernet's 1500 so that a body
# takes several segments, as on a real network).
#
# On port 8000, python's http.server (HTTP/1.0, each response with a
# Content-Length, the connection closed after it): a directory listing,
# an HTML page of 4 KB, JSON, a HEAD, a 404 and a 304. On port 8001, http-8000.server.py (HTTP/1.1): two requests on one
# connection, a chunked body, and a body ended by the close.
set -eu
out=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
ip link set lo up
ip link set lo mtu 1500
dir=$(mktemp -d)
trap 'kill $srv $srv2 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
python3 - <<'PY'
html = "<!DOCTYPE html>\n<html><head><title>Lab 3</title></head><body>\n" + "".join(
    f"<p>Line {i}: the server sends this page in several TCP segments.</p>\n" for i in range(60)) + "</body></html>\n"
open("index.html", "w").write(html)
open("data.json", "w").write('{"lab": 3, "tokens": ["a1", "b2"], "ok": true}\n')
PY
tcpdump -i lo -s 0 -U -w "$out" 2> "$dir/dump.log" &
dump=$!
until grep -q listening "$dir/dump.log"; do sleep 0.1; done
python3 -m http.server 8000 --bind 127.0.0.1 > /dev/null 2>&1 &
srv=$!
python3 "$here/http-8000.server.py" 8001 > /dev/null 2>&1 &
srv2=$!
until curl -s -o /dev/null http://127.0.0.1:8000/ 2>/dev/null && curl -s -o /dev/null http://127.0.0.1:8001/ 2>/dev/null; do sleep 0.1; done
for path in index.html data.json missing.html; do
	curl -s -o /dev/null "http://127.0.0.1:8000/$path"
done
curl -s -I -o /dev/null http://127.0.0.1:8000/index.html
curl -s -o /dev/null -H "If-Modified-Since: $(date -u -d '+1 day' '+%a, %d %b %Y %H:%M:%S GMT')" http://127.0.0.1:8000/index.html
curl -s -o /dev/null -o /dev/null http://127.0.0.1:8001/chunked http://127.0.0.1:8001/chunked
curl -s -o /dev/null http://127.0.0.1:8001/close
sleep 0.5
kill $dump
wait $dump 2>/dev/null || true
