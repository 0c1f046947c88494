#!/bin/sh
# jit-records.sh ID TIME FILE [ADDR]: print the jit and jitdata records
# (docs/FORMAT.md) that carry the ELF object FILE as JIT object ID, as
# pf-record writes them: 3072 bytes (4096 base64 characters) a line.
# ADDR, where the image sat in the process, defaults to 1000 (hex).
set -e
[ $# -ge 3 ] || { echo "usage: jit-records.sh ID TIME FILE [ADDR]" >&2; exit 64; }
size=$(wc -c <"$3")
echo "jit $1 $2 ${4:-1000} $((size))"
base64 -w 4096 "$3" |
	awk -v id="$1" '{ print "jitdata", id, (NR - 1) * 3072, $0 }'
