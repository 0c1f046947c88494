#!/bin/sh
# pf-symbolize on real Numba code: a script compiles njit functions with
# NUMBA_DEBUGINFO=1 and saves the objects LLVM registered through the
# GDB JIT interface; a recording is built from them by hand.  Function
# names must be the Python names, files and lines those of the script
# (as GNU objdump -dl reads the same DWARF).
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
PY=$(find_numba_python) || skip_all "no Python with numba"
for tool in objdump nm readelf base64; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1

cat >kern.py <<'EOP'
import ctypes, subprocess, sys
import numba
import numpy as np


@numba.njit
def helper(x, i):
    return x * 1.5 + i  # HELPER


@numba.njit
def kernel(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += helper(a[i], i)  # CALL
        s = s % 1000.0  # MOD
    return s


def make():
    @numba.njit
    def inner(a):
        t = 0.0
        for v in a:
            t += v * v  # INNER
        return t
    return inner


kernel(np.ones(10))
make()(np.ones(5))


def descriptor():
    """LLVM's __jit_debug_descriptor, from whichever LLVM is loaded."""
    class Entry(ctypes.Structure):
        pass
    Entry._fields_ = [('next', ctypes.POINTER(Entry)),
                      ('prev', ctypes.POINTER(Entry)),
                      ('addr', ctypes.c_void_p), ('size', ctypes.c_uint64)]

    class Descriptor(ctypes.Structure):
        _fields_ = [('version', ctypes.c_uint32), ('action', ctypes.c_uint32),
                    ('relevant', ctypes.POINTER(Entry)),
                    ('first', ctypes.POINTER(Entry))]
    base = {}
    with open('/proc/self/maps') as maps:
        for line in maps:
            f = line.split()
            path = f[-1]
            if path.startswith('/') and ('LLVM' in path or 'llvmlite' in path):
                if path not in base and int(f[2], 16) == 0:
                    base[path] = int(f[0].split('-')[0], 16)
    for path in base:
        try:
            return Descriptor.in_dll(ctypes.CDLL(path),
                                     '__jit_debug_descriptor')
        except (OSError, ValueError):
            pass
        # Static LLVM (pip wheels): a local symbol, in .symtab only.
        out = subprocess.run(['nm', path], capture_output=True, text=True)
        for line in out.stdout.splitlines():
            f = line.split()
            if len(f) == 3 and f[2] == '__jit_debug_descriptor':
                return Descriptor.from_address(base[path] + int(f[0], 16))
    return None


d = descriptor()
if d is None:
    sys.exit(77)
e, n = d.first, 0
while e:
    n += 1
    with open('obj.%d' % n, 'wb') as out:
        out.write(ctypes.string_at(e.contents.addr, e.contents.size))
    e = e.contents.next
EOP
NUMBA_DEBUGINFO=1 "$PY" kern.py >py.out 2>&1
rc=$?
[ $rc -ne 77 ] || skip_all "__jit_debug_descriptor not visible to ctypes"
[ $rc -eq 0 ] || { cat py.out; echo "Bail out! kern.py failed: $rc"; exit 1; }
line_of() {
	grep -n "# $1\$" kern.py | cut -d: -f1
}

# The Python name Numba gives a mangled symbol of kern.py's functions.
python_name() {
	case $1 in
	_ZN8__main__6helper*) echo helper ;;
	_ZN8__main__6kernel*) echo kernel ;;
	_ZN8__main__4make12_3clocals_3e5inner*) echo "make.<locals>.inner" ;;
	*) echo "?" ;;
	esac
}

# Samples first, at every line-table row of the script's functions;
# then every object, as pf-record writes them after the samples.
echo "# pf-record 2" >numba.rec
echo "# pf-symbolize 2" >numba.want
for obj in obj.*; do
	id=${obj#obj.}
	sh "$TOP/tests/objdump-lines.sh" $obj | grep " _ZN8__main__" >rows.$id
	while read addr sym fn file line; do
		echo "sample 1000 7 7 0 $addr" >>numba.rec
		echo "sample 1000 7 7 0 $addr jit jit:$id $(python_name $sym) $file $line -" >>numba.want
	done <rows.$id
done
for obj in obj.*; do
	sh "$TOP/tests/jit-records.sh" ${obj#obj.} 500 $obj >>numba.rec
done
# In place of each jit record, its object record: an object with rows
# for the script has line tables and is named after its function (the
# global one: Numba links weak copies of the functions it calls into
# it); the others (Numba's run-time helpers, an empty object) have no
# line tables and are named after their first function, if any.
for obj in obj.*; do
	id=${obj#obj.}
	if [ -s rows.$id ]; then
		main=$(readelf -sW $obj | awk '$4 == "FUNC" && $5 == "GLOBAL" &&
			$7 != "UND" && $8 ~ /^_ZN8__main__/ { print $8; exit }')
		echo "object jit:$id 500 lines $(python_name "$main")"
	else
		first=$(readelf -sW $obj | awk '$4 == "FUNC" && $7 != "UND" { print $8; exit }')
		echo "object jit:$id 500 nolines ${first:--}"
	fi
done >>numba.want

test_expect 'Numba registered objects with DWARF for the script' '
	cat rows.* >rows &&
	grep -q " $T/kern.py $(line_of HELPER)$" rows &&
	grep -q " $T/kern.py $(line_of CALL)$" rows &&
	grep -q " $T/kern.py $(line_of INNER)$" rows
'
test_expect 'Python names, the script and its lines, as objdump -dl' '
	"$PFS" --no-code numba.rec >numba.out 2>numba.err &&
	! test -s numba.err &&
	test_cmp numba.want numba.out
'
test_expect 'every instruction of every object, as binutils addr2line -i says' '
	command -v addr2line >/dev/null || { echo "no addr2line"; return 0; }
	echo "# pf-record 2" >every.rec &&
	for obj in obj.*; do
		id=${obj#obj.}
		objdump -d $obj | awk "/^ *[0-9a-f]+:\t/ { sub(/:/, \"\", \$1); print \$1 }" >addrs.$id &&
		sh "$TOP/tests/addr2line-expect.sh" $obj <addrs.$id >expect.$id &&
		sed "s/^/sample 1 7 7 0 /" addrs.$id >>every.rec &&
		sh "$TOP/tests/jit-records.sh" $id 500 $obj >>every.rec ||
			{ echo "cannot make the records of $obj"; return 1; }
	done &&
	{ "$PFS" --no-code every.rec >every.out || { echo "pf-symbolize: exit $?"; false; }; } &&
	# FILE LINE INLINED of each, and FUNCTION where it is the script'"'"'s
	# (addr2line names the padding after a function after it, by the
	# nearest symbol; pf-symbolize says "-" there)
	cat expect.* | while read addr fn rest; do
		case $fn in
		_ZN8__main__*) fn=$(python_name $fn) ;;
		*) fn="*" ;;
		esac
		echo "$addr $fn $rest"
	done >every.want &&
	awk "\$1 == \"sample\" { print \$6, \$9, \$10, \$11, \$12 }" every.out |
		paste -d" " every.want - |
		awk "{ if (\$1 != \$6 || \$3 != \$8 ||
			   (\$2 != \"*\" && \$2 != \$7 && !(\$3 == \"-\" && \$7 == \"-\")) ||
			   \$4 != \$9 || \$5 != \$10) { print \"differ:\", \$0; bad = 1 } }
		     END { exit bad }" &&
	n=$(wc -l <every.want) && echo "$n addresses" && test "$n" -gt 100 &&
	grep -c "^[0-9a-f]* [a-z]" every.want
'
test_expect 'span records say of every instruction of Numba code what its sample says' '
	"$PFS" every.rec >every.code &&
	spans_agree every.code >every.agree && cat every.agree &&
	n=$(grep -c "^sample " every.code) &&
	test "$(cut -d" " -f1 every.agree)" -ge $((n * 9 / 10))
'
test_expect 'the hot lines come out with their function' '
	grep -q " jit jit:[0-9]* kernel $T/kern.py $(line_of MOD) -$" numba.out &&
	grep -q " jit jit:[0-9]* helper $T/kern.py $(line_of HELPER) -$" numba.out &&
	grep -q " jit jit:[0-9]* make.<locals>.inner $T/kern.py $(line_of INNER) -$" numba.out
'
test_expect 'Numba code without DWARF: the readable symbol' '
	for obj in obj.*; do
		nm $obj | awk -v id=${obj#obj.} "\$2 ~ /[Tt]/ { sub(/^0+/, \"\", \$1); print id, \$1, \$3 }"
	done >syms &&
	w=$(awk "\$3 ~ /^_ZN7cpython8__main__6kernel/ { print \$2; exit }" syms) &&
	r=$(awk "\$3 == \"NRT_incref\" { print \$2; exit }" syms) &&
	test -n "$w" && test -n "$r" &&
	{ echo "# pf-record 2"
	  for obj in obj.*; do sh "$TOP/tests/jit-records.sh" ${obj#obj.} 500 $obj; done
	  echo "sample 1000 7 7 0 $w"; echo "sample 1000 7 7 0 $r"; } >wrap.rec &&
	"$PFS" --no-code wrap.rec >wrap.out && cat wrap.out &&
	grep -q "^sample 1000 7 7 0 $w jit jit:[0-9]* cpython.__main__.kernel(Array<double,1,C,mutable,aligned>) - 0 -$" wrap.out &&
	grep -q "^sample 1000 7 7 0 $r jit jit:[0-9]* NRT_incref - 0 -$" wrap.out
'

# The same script compiled without debug info, as cache=True code from
# an old cache or pf-record --no-lines gives: no line tables.  The
# object records say so and name each object after its plain function's
# symbol; pf-aggregate counts those samples, pf-annotate says where
# they went.  Samples: 10 at each object's function, 1 at each other
# function (the wrappers, Numba's run-time helpers).
mkdir nodebug && (cd nodebug && NUMBA_DEBUGINFO=0 "$PY" ../kern.py >py.out 2>&1)
rc=$?
{
	echo "# pf-record 2"
	echo "meta lines none"
	for obj in nodebug/obj.*; do
		nm --defined-only $obj | awk '$2 ~ /^[TtWw]$/ {
			n = $3 ~ /^_ZN8__main__/ && $2 == "T" ? 10 : 1
			sub(/^0+/, "", $1)
			for (i = 0; i < n; i++) print "sample 1000 7 7 0", $1
		}'
	done
	for obj in nodebug/obj.*; do
		sh "$TOP/tests/jit-records.sh" ${obj#nodebug/obj.} 500 $obj
	done
} >nodebug.rec
# The Python name and signature, as pf-symbolize writes them.
signature_name() {
	case $(python_name "$1") in
	helper) echo "__main__.helper(double,long%20long)" ;;
	kernel) echo "__main__.kernel(Array<double,1,C,mutable,aligned>)" ;;
	make.*) echo "__main__.make.<locals>.inner(Array<double,1,C,mutable,aligned>)" ;;
	*) echo "?" ;;
	esac
}
test_expect 'without debug info: no line tables, objects named by symbol' '
	test $rc -eq 0 && test "$(ls nodebug/obj.* | wc -l)" -ge 4 &&
	! readelf -SW nodebug/obj.* | grep -q "\.debug_line" &&
	"$PFS" nodebug.rec >nodebug.sym 2>nodebug.err && ! test -s nodebug.err &&
	for obj in nodebug/obj.*; do
		id=${obj#nodebug/obj.}
		main=$(nm --defined-only $obj | awk "\$2 == \"T\" && \$3 ~ /^_ZN8__main__/ { print \$3 }")
		first=$(readelf -sW $obj | awk "\$4 == \"FUNC\" && \$7 != \"UND\" { print \$8; exit }")
		if [ -n "$main" ]; then
			name=$(signature_name "$main")
		else
			name=${first:--}
		fi
		echo "object jit:$id 500 nolines $name"
	done >objects.want &&
	grep "^object " nodebug.sym >objects &&
	test_cmp objects.want objects &&
	grep -q " nolines __main__.kernel(Array<double,1,C,mutable,aligned>)$" objects &&
	grep -q " nolines nrt_atomic_add$" objects
'
test_expect 'pf-aggregate counts them in NOLINES, per object in nolines records' '
	pf-aggregate nodebug.sym >nodebug.agg &&
	cat nodebug.agg &&
	jit=$(grep -c " jit jit:" nodebug.sym) &&
	nofn=$(awk "\$7 == \"jit\" && \$9 == \"-\"" nodebug.sym | wc -l) &&
	grep -x "total $jit $jit 0 0 0 $nofn 0 $jit 0 $jit" nodebug.agg &&
	! grep -q "^object \|^line " nodebug.agg &&
	for obj in nodebug/obj.*; do
		id=${obj#nodebug/obj.}
		n=$(grep -c " jit jit:$id " nodebug.sym)
		if [ "$n" -gt 0 ]; then
			grep -q "^nolines $n [0-9.]* jit:$id " nodebug.agg || return 1
		fi
	done &&
	awk "\$1 == \"nolines\" { n += \$2 } END { exit n != $jit }" nodebug.agg
'
test_expect 'pf-annotate: a function-level profile, and why' '
	pf-annotate --min-percent=0 nodebug.agg >nodebug.txt 2>nodebug.aerr &&
	cat nodebug.txt && ! test -s nodebug.aerr &&
	grep -x "# line tables: none (pf-record --no-lines): function-level profile" nodebug.txt &&
	grep -A4 -x "# 100.0% of samples are in JIT code without line tables:" nodebug.txt >note &&
	grep -q "^#   __main__.kernel(Array<double,1,C,mutable,aligned>) [0-9.]*%,$" note &&
	grep -q "^#   (recorded with pf-record --no-lines)$" note &&
	grep -q "^## __main__.kernel(Array<double,1,C,mutable,aligned>) (no line table), [0-9.]*%$" nodebug.txt &&
	grep -q "^## __main__.helper(double,long long) (no line table), [0-9.]*%$" nodebug.txt &&
	grep -q "^## Numba runtime (no line table), [0-9.]*%$" nodebug.txt &&
	! grep -q "no JIT sample has a source line" nodebug.txt
'
done_testing
