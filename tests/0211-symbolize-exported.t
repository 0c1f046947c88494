#!/bin/sh
# Native time under the names users know: a Numba kernel calling
# np.sin, np.exp and x ** y spends it in glibc's CPU-specific
# implementations (__sin_fma, __ieee754_exp_fma, __ieee754_pow_fma),
# which no exported symbol covers; pf-symbolize finds the exported
# function behind each (symbolize/ifunc.c), with glibc's debug symbols
# (libc6-dbg) and without them.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
[ "$(uname -m)" = x86_64 ] || skip_all "the resolvers are read as x86-64 code"
cd "$T" || exit 1
cat >libm_kernel.py <<'EOF2'
import numpy as np
from numba import njit


@njit
def k(a):
    s = 0.0
    for x in a:
        s += np.sin(x) + np.exp(x)
        s += x ** 1.37
    return s


a = np.random.rand(2_000_000)
for i in range(12):
    k(a)
EOF2

# libm_functions SYMBOLIZED: the functions libm'"'"'s samples are in (the
# outermost of the inline chain, which glibc'"'"'s DWARF gives), counted.
libm_functions() {
	awk '$1 == "sample" && $7 == "native" && $8 ~ /\/libm\.so/ {
		f = $9
		if ($12 != "-") { n = split($12, c, ";"); f = c[n]; sub(/@.*/, "", f) }
		print f
	}' "$1" | sort | uniq -c | sort -rn
}
# each_has NAMES: sin, exp and pow each have 1% of libm's samples.
each_has() {
	for f in sin exp pow; do
		awk -v f=$f "{ all += \$1 } \$2 == f { n = \$1 } END { exit !(n * 100 >= all) }" "$1" || return 1
	done
}

test_expect 'the kernel runs under pf-record' '
	pf-record -q -F 1000 -o libm.rec -- "$py" libm_kernel.py 2>err &&
	pf-symbolize libm.rec >libm.sym &&
	libm_functions libm.sym >names && cat names &&
	test "$(awk "{ n += \$1 } END { print n + 0 }" names)" -gt 200
'

test_expect 'sin, exp and pow carry the time in libm (as the machine has them)' '
	each_has names &&
	! grep -q " __sin_fma$\| __ieee754_" names
'

test_expect 'the header names them, not what glibc inlined into them' '
	pf-aggregate libm.sym | pf-annotate >libm.txt &&
	grep "^# outside JIT code:" libm.txt &&
	grep -q "libm (\(pow\|sin\|exp\) [0-9.]*%, \(pow\|sin\|exp\) [0-9.]*%)" libm.txt &&
	! grep -q "_inline\|feholdsetround" libm.txt
'

test_expect 'without glibc'"'"'s debug symbols: the same names' '
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		echo "not root, or no mount namespace: skipped"; return 0
	fi
	unshare -m sh -c "mount -t tmpfs none /usr/lib/debug && pf-symbolize libm.rec" >nodbg.sym &&
	libm_functions nodbg.sym >nodbg.names && cat nodbg.names &&
	each_has nodbg.names
'

done_testing
