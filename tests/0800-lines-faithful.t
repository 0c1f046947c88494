#!/bin/sh
# Line tables without changing the code: the start-up shim (record/shim).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
prog=$TOP/tests/programs
XDG_CACHE_HOME=$T/xdg
export XDG_CACHE_HOME
hot=$(grep -n "# CACHED-HOT" "$prog/cached.py" | cut -d: -f1)
digest() { sh "$TOP/tests/text-digest.sh" "$1" | awk '{ print $2, $3 }' | sort; }

test_expect 'default mode: the .text of every object equals the plain build' '
	pf-record -q -F 1000 -o "$T/lines.rec" -- "$py" "$prog/inlined.py" 0.3 >/dev/null &&
	pf-record -q -F 1000 --no-lines -o "$T/plain.rec" -- "$py" "$prog/inlined.py" 0.3 >/dev/null &&
	grep -q "^meta lines numba-faithful$" "$T/lines.rec" &&
	grep -q "^meta lines none$" "$T/plain.rec" &&
	digest "$T/lines.rec" >"$T/lines.text" &&
	digest "$T/plain.rec" >"$T/plain.text" &&
	[ "$(wc -l <"$T/plain.text")" -ge 3 ] &&
	test_cmp "$T/plain.text" "$T/lines.text"
'

# Parallel code too: the gufunc, its wrapper (into which LLVM may inline
# it), the launcher, each with the line tables the shim gives them.
test_expect 'default mode, parallel=True: the .text of every object equals the plain build' '
	NUMBA_NUM_THREADS=2 pf-record -q -F 1000 -o "$T/plines.rec" -- "$py" "$prog/prange_branch.py" 0.2 >/dev/null &&
	NUMBA_NUM_THREADS=2 pf-record -q -F 1000 --no-lines -o "$T/pplain.rec" -- "$py" "$prog/prange_branch.py" 0.2 >/dev/null &&
	digest "$T/plines.rec" >"$T/plines.text" &&
	digest "$T/pplain.rec" >"$T/pplain.text" &&
	[ "$(wc -l <"$T/pplain.text")" -ge 5 ] &&
	test_cmp "$T/pplain.text" "$T/plines.text"
'

test_expect '--raw-debuginfo compiles different code (so the check above can fail)' '
	pf-record -q -F 1000 --raw-debuginfo -o "$T/raw.rec" -- "$py" "$prog/inlined.py" 0.3 >/dev/null &&
	grep -q "^meta lines numba-debuginfo$" "$T/raw.rec" &&
	digest "$T/raw.rec" >"$T/raw.text" &&
	! cmp -s "$T/plain.text" "$T/raw.text"
'

test_expect 'default mode has line tables; the inlined helper is at its own lines' '
	pf-symbolize "$T/lines.rec" >"$T/lines.sym" &&
	call=$(grep -n "# CALL" "$prog/inlined.py" | cut -d: -f1) &&
	grep -q " jit jit:[0-9]* helper [^ ]*/inlined.py [0-9]* caller@[^ ]*/inlined.py:$call$" "$T/lines.sym" &&
	grep -q " jit jit:[0-9]* caller [^ ]*/inlined.py [0-9]* -$" "$T/lines.sym"
'

test_expect 'with --raw-debuginfo the helper is a call of its own, not inlined' '
	pf-symbolize "$T/raw.rec" >"$T/raw.sym" &&
	grep -q " jit jit:[0-9]* helper [^ ]*/inlined.py [0-9]* -$" "$T/raw.sym" &&
	! grep -q " helper [^ ]* [0-9]* caller@" "$T/raw.sym"
'

test_expect '--no-lines: Numba functions are still named, from the symbol tables' '
	pf-symbolize "$T/plain.rec" >"$T/plain.sym" &&
	grep -q " jit jit:[0-9]* __main__.caller(Array<double,1,C,mutable,aligned>,long%20long) - 0 -$" "$T/plain.sym"
'

test_expect 'the program'"'"'s own sitecustomize still runs, and the shim too' '
	mkdir -p "$T/site" &&
	printf "import sys\nsys.stderr.write(\"user sitecustomize ran\\\\n\")\n" >"$T/site/sitecustomize.py" &&
	PYTHONPATH=$T/site pf-record -q -o "$T/site.rec" -- "$py" "$prog/inlined.py" 0.2 >"$T/site.out" 2>"$T/site.err" &&
	grep -qx "user sitecustomize ran" "$T/site.err" &&
	pf-symbolize "$T/site.rec" >"$T/site.sym" &&
	grep -q " jit jit:[0-9]* caller [^ ]*/inlined.py [0-9]" "$T/site.sym"
'

test_expect 'the shim leaves no trace on sys.path' '
	pf-record -q -o "$T/path.rec" -- "$py" -c "import sys; print([p for p in sys.path if \"shim\" in p])" >"$T/path.out" 2>&1 &&
	grep -qx "\[\]" "$T/path.out"
'

test_expect 'cache=True: line tables even over a warm user cache, which stays untouched' '
	mkdir -p "$T/usercache" &&
	NUMBA_CACHE_DIR=$T/usercache "$py" "$prog/cached.py" 0.1 >/dev/null &&
	[ -n "$(ls -R "$T/usercache" | grep "\.nbi$")" ] &&
	(cd "$T/usercache" && find . -type f -exec sha256sum {} + | sort) >"$T/cache.before" &&
	NUMBA_CACHE_DIR=$T/usercache pf-record -q -o "$T/cached.rec" -- "$py" "$prog/cached.py" 0.5 >/dev/null &&
	(cd "$T/usercache" && find . -type f -exec sha256sum {} + | sort) >"$T/cache.after" &&
	test_cmp "$T/cache.before" "$T/cache.after" &&
	pf-symbolize "$T/cached.rec" >"$T/cached.sym" &&
	grep -q " jit jit:[0-9]* cached_kernel [^ ]*/cached.py $hot " "$T/cached.sym" &&
	grep -q "^meta numba-cache $T/xdg/pf/3/numba-faithful$" "$T/cached.rec" &&
	[ -n "$(ls -R "$T/xdg/pf/3/numba-faithful" | grep "\.nbi$")" ]
'

test_expect 'cache=True: a second profiled run loads its line tables from the pf cache' '
	NUMBA_CACHE_DIR=$T/usercache pf-record -q -o "$T/cached2.rec" -- "$py" "$prog/cached.py" 0.5 >/dev/null &&
	pf-symbolize "$T/cached2.rec" >"$T/cached2.sym" &&
	grep -q " jit jit:[0-9]* cached_kernel [^ ]*/cached.py $hot " "$T/cached2.sym"
'

test_expect 'no warnings a plain run would not print (parfor gufuncs have no source)' '
	pf-record -q -F 1000 -o "$T/pr.rec" -- "$py" "$prog/prange.py" 0.2 >/dev/null 2>"$T/pr.err" &&
	"$py" "$prog/prange.py" 0.2 >/dev/null 2>"$T/pr-plain.err" &&
	test_cmp "$T/pr-plain.err" "$T/pr.err"
'

test_expect 'python -E and -I: a warning that Numba gets no line tables' '
	pf-record -q -o "$T/e.rec" -- "$py" -E -c "pass" 2>"$T/e.err" &&
	grep -q "python -E ignores PYTHONPATH" "$T/e.err" &&
	pf-record -q -o "$T/i.rec" -- "$py" -sI -c "pass" 2>"$T/i.err" &&
	grep -q "python -I ignores" "$T/i.err" &&
	pf-record -q -o "$T/w.rec" -- "$py" -W ignore -c "pass" 2>"$T/w.err" &&
	! grep -q "ignores" "$T/w.err"
'

test_expect 'a numba whose internals the shim does not know: a warning, and profiling goes on' '
	mkdir -p "$T/fake/numba/core" &&
	: >"$T/fake/numba/__init__.py" && : >"$T/fake/numba/core/__init__.py" &&
	: >"$T/fake/numba/core/compiler.py" &&
	PYTHONPATH=$T/fake pf-record -q -o "$T/fake.rec" -- "$py" -c "import numba.core.compiler" 2>"$T/fake.err" &&
	grep -q "^pf: cannot add line tables to this numba" "$T/fake.err" &&
	tail -n 1 "$T/fake.rec" | grep -q "^exit [0-9]* 0 exited$"
'

done_testing
