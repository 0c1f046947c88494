#!/bin/sh
# addr2line-expect.sh OBJECT < ADDRS: for each hex address (one a line,
# no 0x), "ADDR FUNCTION FILE LINE INLINED" as pf-symbolize should write
# them, according to GNU binutils addr2line -i (an implementation that
# shares no code with libdw): the innermost function and its line, then
# the call sites outwards.  FUNCTION is the symbol or DWARF name that
# addr2line prints (the mangled linkage name for Numba code); a line
# addr2line does not know is "- 0".
set -e
[ $# -eq 1 ] || { echo "usage: addr2line-expect.sh OBJECT <ADDRS" >&2; exit 64; }
sed 's/^/0x/' | addr2line -a -i -f -e "$1" |
	sed 's/ (discriminator [0-9]*)$//' | awk '
	function flush(   i, file, line, inl) {
		if (addr == "")
			return
		file = loc[1]; sub(/:[^:]*$/, "", file)
		line = loc[1]; sub(/^.*:/, "", line)
		if (file == "??" || line !~ /^[0-9]+$/ || line == 0) {
			file = "-"; line = 0
		}
		inl = ""
		for (i = 2; i <= n; i++)
			inl = inl (i > 2 ? ";" : "") fn[i] "@" loc[i]
		print addr, fn[1], file, line, (inl == "" ? "-" : inl)
	}
	/^0x[0-9a-f]+$/ { flush(); addr = substr($0, 3); sub(/^0+/, "", addr); n = 0; odd = 1; next }
	odd { fn[++n] = $0; odd = 0; next }
	{ loc[n] = $0; odd = 1 }
	END { flush() }'
