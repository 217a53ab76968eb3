#!/bin/sh
# Regenerates tshark's view of every capture here: NAME.txt holds the
# default one-line summaries, NAME.fields.tsv the fields listed in
# fields.list (one per line), as tshark 4.0 prints them. The dissect
# tests compare wiretutor with these files byte for byte.
#
# With capture names as arguments (`sh regen.sh echo-sll.pcap`), only
# those captures' files are rewritten, and their lines in the filter
# files replaced: a new capture takes seconds, not the minutes of all.
set -eu
cd "$(dirname "$0")"
if [ $# -gt 0 ]; then
	caps="$*"
	for out in display-filters.expected capture-filters.expected; do
		for c in $caps; do
			awk -F '\t' -v c="$c" '$2 != c' "$out" > "$out.tmp" && mv "$out.tmp" "$out"
		done
	done
	append=1
else
	caps=$(ls *.pcap *.pcapng)
	append=0
fi
fields=$(sed 's/^/-e /' fields.list | tr '\n' ' ')
for f in $caps; do
	name=${f%.*}
	tshark -r "$f" > "$name.txt" 2>/dev/null
	# shellcheck disable=SC2086
	tshark -r "$f" -T fields -E header=y $fields > "$name.fields.tsv" 2>/dev/null
done

# Which frames each display filter selects in each capture, as tshark -Y
# says: one line per filter and capture, "FILTER<TAB>FILE<TAB>1,2,3".
out=display-filters.expected
[ "$append" = 1 ] || : > "$out"
while IFS= read -r f; do
	[ -n "$f" ] || continue
	for c in $caps; do
		if ! sel=$(tshark -r "$c" -Y "$f" -T fields -e frame.number 2>/dev/null); then
			echo "tshark rejects the filter: $f" >&2
			exit 1
		fi
		frames=$(printf "%s" "$sel" | paste -sd, -)
		printf '%s\t%s\t%s\n' "$f" "$c" "$frames" >> "$out"
	done
done < display-filters.list

# Follow TCP Stream for stream 0 of every capture, in tshark's formats.
for c in $caps; do
	for fmt in ascii hex raw; do
		tshark -r "$c" -q -z "follow,tcp,$fmt,0" > "${c%.*}.follow-$fmt.txt" 2>/dev/null
	done
done

# How many packets tcpdump keeps with each capture filter, per capture:
# "FILTER<TAB>FILE<TAB>COUNT".
out=capture-filters.expected
[ "$append" = 1 ] || : > "$out"
while IFS= read -r f; do
	[ -n "$f" ] || continue
	for c in $caps; do
		n=$(tcpdump -r "$c" -n "$f" 2>/dev/null | wc -l)
		printf '%s\t%s\t%s\n' "$f" "$c" "$n" >> "$out"
	done
done < capture-filters.list

# The packet details (tshark -V) of every capture: NAME.details.txt.
for c in $caps; do
	tshark -r "$c" -V > "${c%.*}.details.txt" 2>/dev/null

# Issue 18 (read -x, -T ek): tshark's hex and ASCII dump of every frame,
# as `tshark -x` prints it (NAME.hex.txt: each frame's dump and a blank
# line; "Frame (N bytes):" and "Reassembled TCP (M bytes):" where a
# frame completes a message several segments carried), and the fields of
# fields.list as `tshark -T ek -e` writes them (NAME.ek.ndjson). EK's
# index line names the day in local time: UTC here, as the tests read it.
for c in *.pcap *.pcapng; do
	tshark -r "$c" -x > "${c%.*}.hex.txt" 2>/dev/null
	# shellcheck disable=SC2086
	TZ=UTC tshark -r "$c" -T ek $fields > "${c%.*}.ek.ndjson" 2>/dev/null
done
