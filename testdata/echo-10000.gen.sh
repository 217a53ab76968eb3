#!/bin/sh
# Records echo-10000.pcap: echo traffic on TCP port 10000, the echo
# lessons' port and NDMP's, whose dissector tshark runs there: text
# shorter than 4 bytes, which tshark holds ("[TCP segment of a
# reassembled PDU]") and then shows as reassembled Data, and bytes that
# start with a sane NDMP record mark (echo-10000.client.py); then
# python's http.server on the same port and curl, which tshark finds
# by its HTTP heuristic once NDMP turns the request down.
# Run once, as root: unshare -n sh echo-10000.gen.sh echo-10000.pcap
set -eu
out=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
ip link set lo up
dir=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$dir"' EXIT
srv=
tcpdump -i lo -s 0 -U -w "$out" 2> "$dir/dump.log" &
dump=$!
until grep -q listening "$dir/dump.log"; do sleep 0.1; done
python3 "$here/echo-10000.client.py"
cd "$dir"
echo '<p>hello</p>' > index.html
python3 -m http.server 10000 --bind 127.0.0.1 > /dev/null 2>&1 &
srv=$!
until curl -s -o /dev/null http://127.0.0.1:10000/index.html 2>/dev/null; do sleep 0.1; done
sleep 0.5
kill $dump
wait $dump || true
