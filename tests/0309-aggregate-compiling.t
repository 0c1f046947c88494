#!/bin/sh
# pf-aggregate: samples outside JIT code in Numba's compiler, placed by
# TIME in the segments that the compile records mark.
. "$(dirname "$0")/lib.sh"

# Thread 11 compiles f (plain) from 100 to 200, in it g (cache=True)
# from 120 to 150, saved at 160; loads h from 300 to 350.  Thread 12
# never compiles.  One sample (t=130) comes after the records that
# surround it, as pf-symbolize may write it.
cat >"$T/in.sym" <<'IN'
# pf-symbolize 2
meta command python3 s.py
sample 90 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
compile 100 10 11 enter - -
compile 101 10 11 begin - m.f
sample 110 10 11 0 2000 native /usr/lib/libLLVM-14.so.1 llvm::foo - 0 -
sample 111 10 12 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
compile 120 10 11 begin cache m.g
sample 125 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
compile 150 10 11 end cache m.g
sample 155 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
compile 160 10 11 saved cache m.g
sample 170 10 11 0 ffffffff81000000 kernel [kernel] - - 0 -
compile 190 10 11 end - m.f
compile 200 10 11 leave - -
sample 130 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
sample 210 10 11 0 3000 jit jit:1 kern /s.py 3 -
compile 300 10 11 enter - -
sample 320 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
compile 340 10 11 loaded cache m.h
compile 350 10 11 leave - -
sample 360 10 11 0 1000 native /usr/bin/python3 _PyEval_EvalFrameDefault - 0 -
IN

test_expect 'compile records are consumed, compiling records written' '
	pf-aggregate "$T/in.sym" >"$T/out" 2>"$T/err" &&
	test ! -s "$T/err" &&
	! grep -q "^compile " "$T/out" &&
	grep "^compiling" "$T/out" >"$T/compiling" &&
	cat >"$T/expected" <<-EOF &&
	compiling 2 20.00 60 1 compile
	compiling 3 30.00 40 1 cache
	compiling 1 10.00 50 1 load
	EOF
	test_cmp "$T/expected" "$T/compiling"
'

test_expect 'samples in the compiler are not outside records; others are' '
	grep "^outside" "$T/out" >"$T/outside" &&
	cat >"$T/expected" <<-EOF &&
	outside 3 30.00 native /usr/bin/python3 _PyEval_EvalFrameDefault
	EOF
	test_cmp "$T/expected" "$T/outside"
'

test_expect 'without compile records, no compiling records' '
	grep -v "^compile " "$T/in.sym" | pf-aggregate >"$T/plain" &&
	! grep -q "^compiling" "$T/plain" &&
	grep -q "^outside 1 10.00 native /usr/lib/libLLVM-14.so.1 llvm::foo$" "$T/plain"
'

test_expect 'a thread still in the compiler at the end: open until the last record' '
	printf "# pf-symbolize 2\ncompile 100 1 1 enter - -\nsample 150 1 1 0 10 native /x f - 0 -\nsample 400 1 2 0 10 native /x f - 0 -\n" |
		pf-aggregate | grep "^compiling" >"$T/open" &&
	echo "compiling 1 50.00 300 0 compile" >"$T/expected" &&
	test_cmp "$T/expected" "$T/open"
'

test_expect 'bad compile records: reported with their line, the rest counted' '
	printf "# pf-symbolize 2\ncompile x 1 1 enter - -\ncompile 5 1 1 bogus - -\ncompile 5 1 1 enter maybe -\ncompile 100 1 1 enter - -\ncompile 50 1 1 leave - -\ncompile 200 1 1 leave - -\nsample 150 1 1 0 10 native /x f - 0 -\n" >"$T/bad.sym" &&
	test_must_fail 1 pf-aggregate "$T/bad.sym" >"$T/bad.out" 2>"$T/bad.err" &&
	grep -q "line 2: bad compile record" "$T/bad.err" &&
	grep -q "line 3: bad compile record" "$T/bad.err" &&
	grep -q "line 4: bad compile record" "$T/bad.err" &&
	grep -q "line 6: compile record out of order for its thread" "$T/bad.err" &&
	grep -qx "compiling 1 100.00 100 0 compile" "$T/bad.out"
'

test_expect 'pf-annotate names the time in the compiler' '
	pf-annotate "$T/out" >"$T/txt" &&
	grep -q "^# outside JIT code: .*50.0% Numba compiling (0.00 s, 2 functions; 0.00 s of it compiling cache=True" "$T/txt" &&
	grep -q "10.0% Numba loading its cache (0.00 s, 1 function)" "$T/txt" &&
	! grep -q "libLLVM" "$T/txt"
'

done_testing
