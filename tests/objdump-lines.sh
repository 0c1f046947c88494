#!/bin/sh
# objdump-lines.sh OBJECT: where OBJECT's line table rows start, as
# GNU objdump -dl (an implementation independent of libdw) sees them:
# one line "ADDR SYMBOL FUNCTION FILE LINE" per row with a source line,
# ADDR in hex without 0x, SYMBOL the ELF symbol the code is in,
# FUNCTION the (possibly inlined) function objdump names there.
set -e
[ $# -eq 1 ] || { echo "usage: objdump-lines.sh OBJECT" >&2; exit 64; }
objdump -dl "$1" | awk '
	/^[0-9a-f]+ <.*>:$/ {
		symbol = $2; gsub(/[<>:]/, "", symbol); next
	}
	/^[^ \t\/]+\(\):$/ { function_name = $1; sub(/\(\):$/, "", function_name); next }
	/^\/.*:[0-9]+( \(discriminator [0-9]+\))?$/ {
		where = $1; file = where; sub(/:[0-9]+$/, "", file)
		line = where; sub(/^.*:/, "", line); pending = 1; next
	}
	pending && /^ *[0-9a-f]+:\t/ {
		addr = $1; sub(/:$/, "", addr); pending = 0
		print addr, symbol, function_name, file, line
	}'
