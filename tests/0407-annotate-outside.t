#!/bin/sh
# pf-annotate: the summary of the samples outside JIT code names
# well-known objects for what they are.
. "$(dirname "$0")/lib.sh"

# outside_only RECORDS: a stream of only outside records, 1000 samples.
outside_only() {
	printf "# pf-aggregate 2\ntotal 1000 0 1000 0 0 0 0 0 0\n%s\n" "$1"
}

# label OBJECT: how the summary names OBJECT, alone with 100 samples.
label() {
	outside_only "outside 100 10.00 native $1 -" >"$T/one.agg" &&
	pf-annotate "$T/one.agg" | sed -n "s/^# outside JIT code: 10.0% //p"
}

test_expect 'labels of well-known objects' '
	while read -r path want; do
		got=$(label "$path")
		[ "$got" = "$want" ] || { echo "$path: got \"$got\", want \"$want\""; exit 1; }
	done <<-\EOT
	/usr/bin/python3.11 Python interpreter (python3.11)
	/opt/py/bin/python3 Python interpreter (python3)
	/opt/py/lib/libpython3.12.so.1.0 Python interpreter (libpython3.12.so.1.0)
	/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so NumPy (_multiarray_umath.cpython-311-x86_64-linux-gnu.so)
	/venv/lib/python3.11/site-packages/numpy.libs/libgfortran-040039e1.so.5.0.0 NumPy (libgfortran-040039e1.so.5.0.0)
	/usr/lib/x86_64-linux-gnu/libopenblas.so.0 NumPy (libopenblas.so.0)
	/usr/lib/x86_64-linux-gnu/libblas.so.3 NumPy (libblas.so.3)
	/usr/lib/x86_64-linux-gnu/liblapack.so.3 NumPy (liblapack.so.3)
	/usr/lib/x86_64-linux-gnu/libm.so.6 libm
	/lib/libm-2.31.so libm
	/usr/lib/x86_64-linux-gnu/libc.so.6 libc
	/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0 OpenMP runtime (libgomp.so.1.0.0; workers spinning or waiting)
	/opt/intel/lib/libiomp5.so OpenMP runtime (libiomp5.so; workers spinning or waiting)
	/usr/lib/x86_64-linux-gnu/libtbb.so.12 TBB runtime (libtbb.so.12; workers spinning or waiting)
	/usr/lib/python3/dist-packages/numba/np/ufunc/workqueue.cpython-311-x86_64-linux-gnu.so Numba threading layer (workqueue.cpython-311-x86_64-linux-gnu.so)
	/usr/lib/python3/dist-packages/numba/np/ufunc/omppool.cpython-311-x86_64-linux-gnu.so Numba threading layer (omppool.cpython-311-x86_64-linux-gnu.so)
	/usr/lib/python3/dist-packages/numba/_helperlib.cpython-311-x86_64-linux-gnu.so Numba C helpers (_helperlib.cpython-311-x86_64-linux-gnu.so)
	/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 Numba compiling (libLLVM-14.so.1)
	/venv/lib/python3.11/site-packages/llvmlite/binding/libllvmlite.so Numba compiling (libllvmlite.so)
	/usr/lib/x86_64-linux-gnu/libmvec.so.1 libmvec.so.1
	/usr/lib/x86_64-linux-gnu/libcrypto.so.3 libcrypto.so.3
	/usr/bin/python3-config python3-config
	/home/me/numba/notes.txt notes.txt
	EOT
'

test_expect 'the kernel and unknown addresses' '
	outside_only "outside 30 3.00 kernel [kernel] -
outside 20 2.00 unknown - -" >"$T/k.agg" &&
	pf-annotate "$T/k.agg" >"$T/k.out" &&
	grep -x "# outside JIT code: 3.0% kernel (system calls, page faults), 2.0% unknown" "$T/k.out"
'

test_expect 'objects of one label make one group, named by the biggest' '
	outside_only "outside 50 5.00 native /usr/lib/x86_64-linux-gnu/libopenblas.so.0 dgemm_kernel
outside 30 3.00 native /usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.so PyArray_Sum
outside 40 4.00 native /usr/lib/python3/dist-packages/numpy/linalg/_umath_linalg.so -
outside 10 1.00 native /usr/lib/x86_64-linux-gnu/libm.so.6 exp" >"$T/np.agg" &&
	pf-annotate "$T/np.agg" >"$T/np.out" &&
	grep -x "# outside JIT code: 12.0% NumPy (libopenblas.so.0 and 2 more: dgemm_kernel 5.0%, PyArray_Sum 3.0%)," "$T/np.out" &&
	grep -x "#   1.0% libm (exp 1.0%)" "$T/np.out"
'

test_expect 'functions with less than a tenth of their group are not named' '
	outside_only "outside 200 20.00 native /usr/bin/python3.11 _PyEval_EvalFrameDefault
outside 40 4.00 native /usr/bin/python3.11 PyObject_Call
outside 19 1.90 native /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 llvm::SelectionDAG::Combine
outside 180 18.00 native /usr/bin/python3.11 -
outside 181 18.10 native /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 -" >"$T/small.agg" &&
	pf-annotate "$T/small.agg" >"$T/small.out" &&
	grep -x "# outside JIT code: 42.0% Python interpreter (python3.11: _PyEval_EvalFrameDefault 20.0%)," "$T/small.out" &&
	grep -x "#   20.0% Numba compiling (libLLVM-14.so.1)" "$T/small.out"
'

test_expect 'four groups, the rest summed by objects; at most four lines' '
	outside_only "outside 100 10.00 native /usr/bin/python3.11 -
outside 90 9.00 kernel [kernel] -
outside 80 8.00 native /usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0 -
outside 70 7.00 native /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 -
outside 60 6.00 native /usr/lib/x86_64-linux-gnu/libc.so.6 -
outside 5 0.50 native /usr/lib/numpy/a.so -
outside 5 0.50 native /usr/lib/numpy/b.so -
outside 4 0.40 native /x/libfoo.so -" >"$T/four.agg" &&
	pf-annotate "$T/four.agg" >"$T/four.out" &&
	cat >"$T/four.expected" <<-\EOT &&
	# 1000 samples, 100.0% outside JIT code, 0.0% unresolved
	# outside JIT code: 10.0% Python interpreter (python3.11), 9.0% kernel (system calls, page faults),
	#   8.0% OpenMP runtime (libgomp.so.1.0.0; workers spinning or waiting),
	#   7.0% Numba compiling (libLLVM-14.so.1), 7.4% in 4 other objects
	# no samples hit JIT code
	EOT
	test_cmp "$T/four.expected" "$T/four.out"
'

done_testing
