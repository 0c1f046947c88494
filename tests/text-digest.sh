#!/bin/sh
# text-digest.sh RECORDING: one line per JIT object of a pf-record stream,
# "ID SIZE SHA256" of its .text section (the bytes as the compiler wrote
# them, before relocation), to compare the machine code of two runs.
set -eu
rec=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for id in $(awk '$1 == "jit" { print $2 }' "$rec"); do
	awk -v id="$id" '$1 == "jitdata" && $2 == id { print $4 }' "$rec" |
		tr -d '\n' | base64 -d >"$tmp/o"
	objcopy -O binary --only-section=.text "$tmp/o" "$tmp/t" 2>/dev/null ||
		: >"$tmp/t"
	printf '%s %s %s\n' "$id" "$(wc -c <"$tmp/t")" \
		"$(sha256sum <"$tmp/t" | cut -c1-16)"
done
