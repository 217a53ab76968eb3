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

# The colours Wireshark's default colouring rules give each frame, as
# tshark --color prints them (only to a terminal, which script(1) lends
# it): "FRAME<TAB>FG<TAB>BG", each r,g,b; a frame no rule colours is
# left out.
for f in $caps; do
	name=${f%.*}
	COLORTERM=truecolor script -qc "tshark -r $f --color" /dev/null 2>/dev/null | tr -d '\r' | tr '\033' '~' |
		sed -n 's/^\(~\[0m\)*~\[38;2;\([0-9;]*\)m~\[48;2;\([0-9;]*\)m *\([0-9][0-9]*\) .*/\4\t\2\t\3/p' |
		tr ';' ',' > "$name.color.tsv"
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
done

# Issue 18 (read -x, -T ek): tshark's hex and ASCII dump of every frame,
# as `tshark -x` prints it (NAME.hex.txt: each frame's dump and a blank
# line; "Frame (N bytes):" and "Reassembled TCP (M bytes):" where a
# frame completes a message several segments carried), and the fields of
# fields.list as `tshark -T ek -e` writes them (NAME.ek.ndjson). EK's
# index line names the day in local time: UTC here, as the tests read it.
for c in $caps; do
	tshark -r "$c" -x > "${c%.*}.hex.txt" 2>/dev/null
	# shellcheck disable=SC2086
	TZ=UTC tshark -r "$c" -T ek $fields > "${c%.*}.ek.ndjson" 2>/dev/null
done

# The anatomy of every frame (engine/packet/anatomy): each field of its
# IPv4, IPv6, TCP, UDP, ICMP and ICMPv6 headers, with the offset, length
# and bit mask tshark -T json -x gives it (NAME_raw = [hex, offset,
# length, mask, type]; a mask as tshark declares the field, 0 for whole
# bytes) and its value as tshark -T fields prints it: NAME.anatomy.tsv,
# "FRAME<TAB>FIELD<TAB>OFFSET<TAB>LENGTH<TAB>MASK<TAB>VALUE", in the
# order of tshark's tree. The protocols an ICMP error quotes are left out.
for c in $caps; do
	python3 - "$c" > "${c%.*}.anatomy.tsv" <<'PY'
import json, subprocess, sys

cap = sys.argv[1]
LAYERS = ("ip", "ipv6", "tcp", "udp", "icmp", "icmpv6")

def tshark(*args):
    return subprocess.run(["tshark", "-r", cap, *args], check=True,
                          capture_output=True).stdout.decode()

def is_obj(v):
    return isinstance(v, list) and all(isinstance(x, tuple) for x in v) and v

def walk(obj, counts, out, emit):
    for key, val in obj:
        raw = key.endswith("_raw") and isinstance(val, list) and len(val) == 5 and not is_obj(val)
        if raw:
            name = key[:-4]
            n = counts.get(name, 0)
            counts[name] = n + 1
            if emit and "." in name:
                out.append((name, n, val[1], val[2], val[3]))
        elif is_obj(val):
            # A field's own subtree belongs to its header; a protocol an
            # ICMP error quotes, the analysis and the data do not.
            walk(val, counts, out, emit and key.endswith("_tree"))

frames = json.loads(tshark("-T", "json", "-x"), object_pairs_hook=lambda p: p)
rows = []
for pkt in frames:
    layers = dict(dict(pkt)["_source"])["layers"]
    counts, out = {}, []
    number = 0
    for key, val in layers:
        if key == "frame":
            number = int(dict(val)["frame.number"])
        if is_obj(val):
            walk(val, counts, out, key in LAYERS)
    rows.append((number, out))

names = sorted({r[0] for _, out in rows for r in out})
values = {}
if names:
    args = ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=/t", "-e", "frame.number"]
    for n in names:
        args += ["-e", n]
    for line in tshark(*args).splitlines():
        cols = line.split("\t")
        values[int(cols[0])] = {n: (c.split(",") if c else []) for n, c in zip(names, cols[1:])}

for number, out in rows:
    for name, n, off, length, mask in out:
        vs = values.get(number, {}).get(name, [])
        v = vs[n] if n < len(vs) else "?"
        print(f"{number}\t{name}\t{off}\t{length}\t{mask:#x}\t{v}")
PY
done

# Issue 19 (graphs): the fields the TCP stream graphs are drawn from, for
# the captures of graph.list: NAME.graph.tsv, one line per TCP segment.
gfields=$(sed 's/^/-e /' graph-fields.list | tr '\n' ' ')
while IFS= read -r c; do
	[ -n "$c" ] || continue
	case " $caps " in *" $c "*) ;; *) continue ;; esac
	# shellcheck disable=SC2086
	tshark -r "$c" -Y tcp -T fields -E header=y -E occurrence=a -E aggregator=, $gfields > "${c%.*}.graph.tsv" 2>/dev/null
done < graph.list

# Issue 21 (the explorer's bytes pane): the bytes Wireshark highlights
# for each line of the packet details, from tshark -T pdml: NAME.spans.tsv,
# "FRAME<TAB>DEPTH<TAB>POS<TAB>SIZE", one row per line of tshark -V
# (without its hex dumps of data), in the same order. PDML leaves out
# the lines it hides and writes the data protocol as a bare field under
# a wrapper; the rows follow the tree as -V prints it. Lines of a message
# several segments carried count from the start of the reassembled
# message, not of the frame.
for c in $caps; do
	python3 - "$c" > "${c%.*}.spans.tsv" <<'PY'
import subprocess, sys, xml.etree.ElementTree as ET

cap = sys.argv[1]
pdml = subprocess.run(["tshark", "-r", cap, "-T", "pdml"], check=True, capture_output=True).stdout

def walk(el, depth, frame, out):
    for c in el:
        if c.tag not in ("proto", "field") or c.get("hide") == "yes" or c.get("name") == "geninfo":
            continue
        text = c.get("showname") or c.get("show")
        pos, size = c.get("pos", "0"), c.get("size", "0")
        if text is None and c.get("name") == "data" and c.get("value") is not None:
            size = str(len(c.get("value")) // 2)
            pos = next((k.get("pos") for k in c if k.get("pos")), "0")
            text = "data"
        if text is None:
            walk(c, depth, frame, out)  # a wrapper: fake-field-wrapper
            continue
        out.append((frame, str(depth), pos, size))
        walk(c, depth + 1, frame, out)

for pkt in ET.fromstring(pdml):
    num = next(f.get("show") for p in pkt if p.get("name") == "frame" for f in p if f.get("name") == "frame.number")
    out = []
    walk(pkt, 0, num, out)
    for row in out:
        print("\t".join(row))
PY
done
