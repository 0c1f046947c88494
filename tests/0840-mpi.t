#!/bin/sh
# An MPI job on this machine (issue 12): `mpirun -n 2 pf-record -o
# prof.%r.rec`, one recording per rank, rank 0 with twice the work of
# rank 1; symbolized one by one and counted as one profile by one
# pf-aggregate.  Needs Open MPI and mpi4py for the Numba Python
# (Debian: openmpi-bin python3-mpi4py).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python with numba"
command -v mpirun >/dev/null || skip_all "no mpirun (apt-get install openmpi-bin)"
"$py" -c "import mpi4py" 2>/dev/null || skip_all "no mpi4py for $py"

test_expect 'mpirun -n 2 pf-record -o prof.%r.rec: a recording per rank, with its rank' '
	(cd "$T" && OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		timeout 240 mpirun --oversubscribe -n 2 "$TOP/record/pf-record" -F 1000 \
		-o "prof.%r.rec" -- "$py" "$TOP/tests/programs/mpi_work.py" 20) >"$T/mpi.out" 2>"$T/mpi.err" &&
	cat "$T/mpi.err" && grep -q "^total " "$T/mpi.out" &&
	for r in 0 1; do
		grep -qx "meta rank $r" "$T/prof.$r.rec" &&
		grep -q "^meta host " "$T/prof.$r.rec" &&
		tail -n 1 "$T/prof.$r.rec" | grep -q "^exit [0-9]* 0 exited$" || exit 1
	done
'
test_expect 'one pf-aggregate over both: one profile, the hot line, a line per rank' '
	pf-symbolize "$T/prof.0.rec" >"$T/prof.0.sym" &&
	pf-symbolize "$T/prof.1.rec" >"$T/prof.1.sym" &&
	pf-aggregate --per-thread "$T/prof.0.sym" "$T/prof.1.sym" >"$T/merged.agg" &&
	pf-annotate "$T/merged.agg" >"$T/merged.txt" && cat "$T/merged.txt" &&
	hottest_line "$T/merged.txt" | grep -q "# HOT$" &&
	grep -q "^# process [0-9]* rank 0 .*: [0-9]* samples" "$T/merged.txt" &&
	grep -q "^# process [0-9]* rank 1 .*: [0-9]* samples" "$T/merged.txt" &&
	j0=$(awk "\$1 == \"sample\" && \$7 == \"jit\"" "$T/prof.0.sym" | wc -l) &&
	j1=$(awk "\$1 == \"sample\" && \$7 == \"jit\"" "$T/prof.1.sym" | wc -l) &&
	all=$(awk "\$1 == \"total\" { print \$3 }" "$T/merged.agg") &&
	echo "JIT samples: rank 0 $j0, rank 1 $j1, merged $all" &&
	test "$all" -eq $((j0 + j1)) &&
	awk -v a="$j0" -v b="$j1" "BEGIN { s = 100 * a / (a + b); print s \"% for rank 0\"; exit !(s > 61.7 && s < 71.7) }"
'
# Both ranks have a jit:1 (and so on): counted as one profile, they must
# stay two objects, with code of their own.
test_expect 'the objects of the two recordings stay apart: jit:1.N and jit:2.N' '
	grep -q "^code jit:1\.[0-9]* " "$T/merged.agg" &&
	grep -q "^code jit:2\.[0-9]* " "$T/merged.agg" &&
	! grep -q "^code jit:[0-9]* " "$T/merged.agg" &&
	pf-annotate --asm "$T/merged.agg" >"$T/merged.asm" 2>"$T/merged.asm-err" &&
	test ! -s "$T/merged.asm-err" && grep -q "sqrt" "$T/merged.asm"
'
test_expect '-o patterns: %p, %h, %%, and %r or an unknown %x said' '
	(cd "$T" && pf-record -q -o "pid.%p.%h.%%.rec" -- true) &&
	ls "$T" | grep -q "^pid\.[0-9]*\.$(hostname)\.%\.rec$" &&
	test_must_fail 64 env -u OMPI_COMM_WORLD_RANK -u PMI_RANK -u PMIX_RANK -u SLURM_PROCID \
		-u MV2_COMM_WORLD_RANK pf-record -q -o "$T/x.%r.rec" -- true 2>"$T/r.err" &&
	grep -q "no job rank in the environment" "$T/r.err" &&
	test_must_fail 64 pf-record -q -o "$T/x.%q.rec" -- true 2>"$T/q.err" &&
	grep -q "%q is not %p, %r, %h or %%" "$T/q.err" &&
	(cd "$T" && SLURM_PROCID=3 pf-record -q -o "s.%r.rec" -- true) &&
	grep -qx "meta rank 3" "$T/s.3.rec"
'

done_testing
