#!/bin/sh
# pf-symbolize names native code from a sorted index of each file's
# symbols (symbolize/symindex.c): which of several symbols at one
# address wins, how far a symbol without a size reaches, and that the
# look-up of many distinct addresses in a large library is fast.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
for tool in cc nm readelf; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1

# The map record of FILE's executable segment loaded at BASE (hex).
text_map() {
	set -- "$1" $(readelf -lW "$2" |
		awk '$1 == "LOAD" && / R E / { print $2, $3, $6; exit }') "$2"
	printf "map 1 7 %x %x %x %s\n" $((0x$1 + $3 - $2 % 4096)) \
		$(((0x$1 + $3 + $4 + 4095) / 4096 * 4096)) $(($2 - $2 % 4096)) "$5"
}
addr() {
	nm "$1" | awk -v s="$2" '$3 == s { print $1; exit }'
}

test_expect 'a library with aliases, weak and sizeless symbols' '
	cc -shared -nostdlib -Wl,--build-id=none -o libsyms.so "$TOP/tests/fixtures/symbols.S" &&
	for s in local_impl exported_name __weak_local weak_name sizeless after_sizeless; do
		test -n "$(addr libsyms.so $s)" || return 1
	done
'

# sample_at SYMBOL OFFSET: a sample OFFSET bytes into SYMBOL.
base=7f5500000000
sample_at() {
	printf "sample 5 7 7 0 %x\n" $((0x$base + 0x$(addr libsyms.so "$1") + $2))
}

# names_at NAME SYMBOL OFFSET...: symbolize a sample OFFSET bytes into
# each SYMBOL and write the FUNCTION of each to NAME.names.
names_at() {
	name=$1
	shift
	{
		echo "# pf-record 2"
		text_map $base "$T/libsyms.so"
		while [ $# -ge 2 ]; do
			sample_at "$1" "$2"
			shift 2
		done
	} >"$name.rec" &&
	"$PFS" "$name.rec" >"$name.sym" &&
	awk "\$1 == \"sample\" { print \$9 }" "$name.sym" >"$name.names"
}

test_expect 'the global name before the local one, the weak before the local' '
	names_at a exported_name 1 weak_name 1 &&
	printf "exported_name\nweak_name\n" >a.want &&
	test_cmp a.want a.names
'

test_expect 'a symbol without a size reaches to the next symbol, not beyond' '
	names_at b sizeless 3 after_sizeless 0 &&
	printf "sizeless\nafter_sizeless\n" >b.want &&
	test_cmp b.want b.names
'

test_expect 'past the last symbol of its section: no name' '
	end=$(readelf -SW libsyms.so | awk "{ for (i = 1; i < NF; i++) if (\$i == \".text\") print \$(i + 2), \$(i + 4) }") &&
	set -- $end &&
	{
		echo "# pf-record 2"
		text_map $base "$T/libsyms.so"
		printf "sample 5 7 7 0 %x\n" $((0x$base + 0x$1 + 0x$2 + 8))
	} >c.rec &&
	"$PFS" c.rec >c.sym &&
	grep -q " native $T/libsyms.so - - 0 -$" c.sym
'

LLVM=$(ls /usr/lib/x86_64-linux-gnu/libLLVM-*.so.1 /usr/lib/*/libLLVM-*.so.1 2>/dev/null | head -1)
test_expect 'libLLVM: 20000 distinct addresses in well under the old minute' '
	if [ -z "$LLVM" ]; then echo "no libLLVM: skipped"; return 0; fi
	{
		echo "# pf-record 2"
		text_map 7f6600000000 "$LLVM"
	} >llvm.rec &&
	set -- $(awk "\$1 == \"map\" { print \$4, \$5 }" llvm.rec) &&
	# awk prints the offsets (its %x may stop at 32 bits), sh the hex.
	awk -v n=$((0x$2 - 0x$1)) "BEGIN {
		srand(1)
		for (i = 0; i < 20000; i++)
			printf \"%d\\n\", int(rand() * n)
	}" | while read -r off; do
		printf "sample 1 7 7 0 %x\n" $((0x$1 + off))
	done >>llvm.rec &&
	# Not a timing test: a bound a loaded machine meets (the old linear
	# look-up took 34 s here; bench/ has the figures).
	timeout 30 "$PFS" llvm.rec >llvm.sym &&
	test "$(grep -c "^sample .* native .*libLLVM[^ ]* [^-]" llvm.sym)" -gt 1000
'

done_testing
