#!/bin/sh
# Regenerates tshark's view of the captures here: NAME.txt is
# `tshark -r NAME.pcapng` (the packet list), and the bad-checksum ping's
# NAME.V.txt is its packet details (tshark -V), whose "should be" is the
# checksum the verify check must name. Run from this folder.
set -e
for f in *.pcapng; do
	tshark -r "$f" > "${f%.pcapng}.txt"
done
tshark -r ping-client-ping_bad_checksum.pcapng -V > ping-client-ping_bad_checksum.V.txt
