#!/bin/sh
# Regenerates tshark's view of every capture here: NAME.txt holds the
# default one-line summaries, NAME.fields.tsv the fields listed in
# fields.list (one per line), as tshark 4.0 prints them. The dissect
# tests compare wiretutor with these files byte for byte.
set -eu
cd "$(dirname "$0")"
fields=$(sed 's/^/-e /' fields.list | tr '\n' ' ')
for f in *.pcap *.pcapng; do
	name=${f%.*}
	tshark -r "$f" > "$name.txt" 2>/dev/null
	# shellcheck disable=SC2086
	tshark -r "$f" -T fields -E header=y $fields > "$name.fields.tsv" 2>/dev/null
done
