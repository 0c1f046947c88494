"""report.py WORKDIR: the tables of `make bench`, from the files that
bench/run.sh left in WORKDIR (NAME.res from the workloads, NAME.wall,
NAME.rec/.sym/.agg/.digest from the pf tools, and params).

Exits 1 with a message when a file it needs is missing or malformed; a
MISS against a target is a result, not an error.
"""
import glob
import os
import statistics
import sys

W = sys.argv[1] if len(sys.argv) == 2 else sys.exit("usage: report.py WORKDIR")
HERE = os.path.dirname(os.path.abspath(__file__))
summary = []  # (target, wanted, measured, verdict)


def die(msg):
    sys.exit("report.py: %s" % msg)


def read_kv(path):
    """`key value...` lines -> {key: [value string, ...]}."""
    kv = {}
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(" ")
                kv.setdefault(key, []).append(value)
    except OSError as e:
        die("cannot read %s: %s" % (path, e.strerror))
    return kv


def one(kv, key, path, conv=float):
    if key not in kv:
        die("%s: no '%s'" % (path, key))
    return conv(kv[key][0].split()[0])


P = read_kv(os.path.join(W, "params"))
RATE = int(P["rate"][0])
DEFAULT = int(P["default_rate"][0])
RATES = [int(x) for x in P["rates"][0].split()]


def res(name):
    path = os.path.join(W, name + ".res")
    kv = read_kv(path)
    r = {"inside": one(kv, "inside", path), "pid": one(kv, "pid", path, int)}
    if "window" not in kv:
        die("%s: no 'window'" % path)
    t0, t1 = (int(x) for x in kv["window"][0].split())
    r["window"] = (t0, t1)
    r["threads"] = {int(t): int(ns) / 1e9 for t, ns in
                    (v.split() for v in kv.get("thread", []))}
    for key in ("per_call_median", "ncalls", "calls", "compile"):
        if key in kv:
            r[key] = one(kv, key, path)
    r["calib"] = {}
    for v in kv.get("calib", []):
        k, med, spread, n = v.split()
        r["calib"][int(k)] = (float(med), float(spread), int(n))
    return r


def wall(name):
    path = os.path.join(W, name + ".wall")
    try:
        with open(path) as f:
            return float(f.read())
    except (OSError, ValueError) as e:
        die("cannot read %s: %s" % (path, e))


def rec(name):
    """From a recording: rate, samples (TIME, TID), lost, throttles."""
    r = {"samples": [], "lost": 0, "throttle": 0, "rate": 0}
    with open(os.path.join(W, name + ".rec"), errors="replace") as f:
        for line in f:
            if line.startswith("sample "):
                x = line.split()
                r["samples"].append((int(x[1]), int(x[3])))
            elif line.startswith("meta frequency "):
                r["rate"] = int(line.split()[2])
            elif line.startswith("lost "):
                r["lost"] += int(line.split()[2])
            elif line.startswith("throttle "):
                r["throttle"] += 1
    return r


def sym_samples(name, objects=None):
    """Symbolized samples, split into fields; OBJECTS, when given, gets
    the LINES field of each `object` record."""
    out = []
    with open(os.path.join(W, name + ".sym"), errors="replace") as f:
        for line in f:
            if line.startswith("sample "):
                out.append(line.split())
            elif line.startswith("object ") and objects is not None:
                x = line.split()
                if len(x) >= 4:
                    objects[x[1]] = x[3]
    return out


def sym(name):
    """JIT samples; those with FILE '-' in objects with line tables
    (code on line 0); those in objects without any (Numba's runtime,
    NRT_*, built from LLVM IR: there is no source to show).  Without
    `object` records, an object has line tables when any of its samples
    has a file."""
    objects = {}
    fields = [x for x in sym_samples(name, objects)
              if len(x) >= 12 and x[6] == "jit"]
    if objects:
        nolines = {o for o, v in objects.items() if v == "nolines"}
    else:
        with_lines = {x[7] for x in fields if x[9] != "-"}
        nolines = {x[7] for x in fields} - with_lines
    nosrc = sum(1 for x in fields if x[7] in nolines)
    unres = sum(1 for x in fields if x[9] == "-" and x[7] not in nolines)
    global NONAME
    NONAME += sum(1 for x in fields if x[8] == "-")
    return len(fields), unres, nosrc


# JIT samples without even a function name, in every default-mode
# recording read by sym(): pf's "unresolved" (target 0).
NONAME = 0


def agg_lines(name):
    """SELF counts of `line` records: {(file, line): self}."""
    out = {}
    with open(os.path.join(W, name + ".agg"), errors="replace") as f:
        for line in f:
            if line.startswith("line "):
                x = line.split()
                out[(x[5], int(x[6]))] = int(x[1])
    return out


def digest(name):
    with open(os.path.join(W, name + ".digest")) as f:
        return sorted(" ".join(line.split()[1:]) for line in f)


def med_range(xs, fmt="%.3f"):
    return (fmt + " [" + fmt + ".." + fmt + "]") % (
        statistics.median(xs), min(xs), max(xs))


def verdict(ok):
    """PASS or MISS; callers judge the value as printed (rounded)."""
    return "PASS" if ok else "MISS"


def table(head, rows):
    rows = [head] + rows
    width = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    for r in rows:
        print("  " + "  ".join(str(c).ljust(width[i])
                               for i, c in enumerate(r)).rstrip())


def section(title):
    print()
    print(title)
    print("-" * len(title))


def runs(prefix):
    """Repetition numbers for which NAME = prefix.REP exists."""
    out = []
    for path in glob.glob(os.path.join(W, prefix + ".*.res")):
        tail = os.path.basename(path)[len(prefix) + 1:-len(".res")]
        if tail.isdigit():
            out.append(int(tail))
    return sorted(out)


def tvd(shares, truth):
    return 0.5 * sum(abs(shares[k] - truth[k]) for k in range(4))


def marker_lines(path, markers):
    """{marker: line number} of the lines of PATH ending in `# MARKER`."""
    found = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            for m in markers:
                if line.rstrip().endswith("# " + m):
                    found[m] = n
    if len(found) != len(markers):
        die("%s: cannot find the markers %s" % (path, " ".join(markers)))
    return found


# -- 1. overhead ------------------------------------------------------------

REPS = runs("oh.plain")
if not REPS:
    die("no overhead runs in %s" % W)
VARIANTS = ["F%d" % hz for hz in RATES] + ["nl", "raw"]
D = "F%d" % RATE


def label(v):
    if v == "raw":
        return "--raw-debuginfo -F %d" % RATE
    if v == "nl":
        return "--no-lines -F %d" % RATE
    hz = int(v[1:])
    if hz == RATE:
        return "-F %d (%s)" % (hz, "default" if RATE == DEFAULT else "base")
    return "-F %d (%gx)" % (hz, hz / RATE)


def oh(v, k):
    name = "oh.%s.%d" % (v, k)
    return res(name), wall(name)


def vreps(v):
    return runs("oh." + v)


def ratios(v, base="plain"):
    """Per-repetition ratios of V to BASE, for the repetitions that ran
    both: (work loop, whole process, time per call)."""
    ins, proc, call = [], [], []
    for k in vreps(v):
        if k not in vreps(base):
            continue
        (r, wl), (b, bw) = oh(v, k), oh(base, k)
        ins.append(r["inside"] / b["inside"])
        proc.append(wl / bw)
        call.append(r["per_call_median"] / b["per_call_median"])
    if not ins:
        die("no repetition with both %s and %s" % (v, base))
    return ins, proc, call


ratio = {v: ratios(v) for v in VARIANTS}


def med_of(v, key):
    return statistics.median(oh(v, k)[0][key] for k in vreps(v))


def med_wall(v):
    return statistics.median(oh(v, k)[1] for k in vreps(v))


section("1. overhead: %s calls of bench/kernel.py (fixed work), "
        "pf-record / plain, %d repetitions alternated"
        % (P["ncalls"][0], len(REPS)))
print("  (--raw-debuginfo in the first %d, see section 5)" % len(vreps("raw")))
rows = [["plain", "%.3f s" % med_of("plain", "inside"), "1", "",
         "%.2f s" % med_of("plain", "compile"),
         "%.2f s" % med_wall("plain"), "1", ""]]
for v in VARIANTS[:-1]:
    ins, proc, _ = ratio[v]
    hz = RATE if v == "nl" else int(v[1:])
    rows.append([label(v), "%.3f s" % med_of(v, "inside"), med_range(ins),
                 "%.0f" % ((statistics.median(ins) - 1) * 1e6 / hz),
                 "%.2f s" % med_of(v, "compile"), "%.2f s" % med_wall(v),
                 med_range(proc), "<= 1.03" if v == D else ""])
table(["variant", "work loop", "ratio", "us/sample", "compile",
       "process", "ratio", "target"], rows)
print("""  work loop: time inside the program around the calls; process: whole
  process wall time (pf-record included); ratios: median [min..max] of the
  per-repetition ratios to the plain run of the same repetition.
  us/sample: (work-loop ratio - 1) / rate, the cost of one sample.
  compile: the first call (compiles); pf's line tables make it slower.
  --no-lines: the same sampling without line tables (the plain build).""")
oh_in = statistics.median(ratio[D][0])
oh_proc = statistics.median(ratio[D][1])
summary.append(("overhead at %d Hz, work loop" % RATE,
                "<= 1.03x", "%.3fx" % oh_in, verdict(round(oh_in, 3) <= 1.03)))
summary.append(("overhead at %d Hz, whole process" % RATE,
                "<= 1.03x", "%.3fx" % oh_proc, verdict(round(oh_proc, 3) <= 1.03)))

# -- 2. distortion ----------------------------------------------------------

section("2. distortion: Numba time per call (median over the calls of a "
        "run) / plain")
dist_nl = ratios(D, "nl")[2]
rows = [["plain", "%.2f ms" % (1e3 * med_of("plain", "per_call_median")),
         "", "", ""],
        ["--no-lines -F %d" % RATE,
         "%.2f ms" % (1e3 * med_of("nl", "per_call_median")),
         med_range(ratio["nl"][2]), "", ""],
        [label(D), "%.2f ms" % (1e3 * med_of(D, "per_call_median")),
         med_range(ratio[D][2]), med_range(dist_nl), "1.00"],
        [label("raw"), "%.2f ms" % (1e3 * med_of("raw", "per_call_median")),
         med_range(ratio["raw"][2]), "", "-"]]
table(["variant", "per call", "/ plain", "/ --no-lines", "target"], rows)
print("""  / plain includes the cost of the samples themselves (section 1);
  / --no-lines compares runs sampled alike whose only difference is the
  line tables: the distortion of the code by pf.""")
dist = statistics.median(ratio[D][2])
dnl = statistics.median(dist_nl)
# With sampling the cost of the samples is in it: the overhead's target.
summary.append(("time per call, default mode / plain (with sampling)",
                "<= 1.03x", "%.3fx" % dist, verdict(round(dist, 3) <= 1.03)))
summary.append(("time per call, default mode / --no-lines (code)",
                "1.00x (<= 1.01)", "%.3fx" % dnl, verdict(round(dnl, 3) <= 1.01)))

# .text of every JIT object: default mode against --no-lines, same program.
groups = [("default mode, all rates, bench/kernel.py", "oh.nl.1", True,
           ["oh.F%d.%d" % (hz, k) for hz in RATES for k in REPS]),
          ("default mode, bench/lines4.py", "nl.lines4", True,
           ["acc.%s.%d" % (v, k) for v in ("x1", "x4")
            for k in runs("acc." + v)]),
          ("default mode, bench/parallel.py", "nl.par", True, ["par.1"]),
          ("--no-lines, bench/kernel.py, other repetitions", "oh.nl.1",
           None, ["oh.nl.%d" % k for k in vreps("nl")[1:]]),
          ("--raw-debuginfo, bench/kernel.py (control)", "oh.nl.1", False,
           ["oh.raw.%d" % k for k in vreps("raw")]),
          ("--raw-debuginfo, bench/lines4.py (no calls)", "nl.lines4", None,
           ["acc.raw.%d" % k for k in runs("acc.raw")])]
print()
print("  .text of every JIT object (tests/text-digest.sh, sorted) against a "
      "--no-lines run")
print("  of the same program:")
rows = []
same_all = [0, 0]
text_ok = True
for what, ref, want, names in groups:
    b = digest(ref)
    n = sum(digest(name) == b for name in names)
    rows.append([what, len(b), "%d of %d" % (n, len(names)),
                 {True: "all", False: "none", None: "-"}[want]])
    if want is True:
        same_all[0] += n
        same_all[1] += len(names)
        text_ok = text_ok and n == len(names)
    elif want is False:
        text_ok = text_ok and n == 0
table(["recordings", "objects", "identical", "target"], rows)
summary.append(("machine code, default mode vs --no-lines", "identical",
                "%d of %d identical" % tuple(same_all), verdict(text_ok)))

# -- 3. accuracy ------------------------------------------------------------

loop = marker_lines(os.path.join(HERE, "lines4.py"),
                    ["LOOP%d" % k for k in range(1, 5)])
cal = res("calib")["calib"]
if len(cal) != 4:
    die("calib.res: no calibration of the four loops")
cal_total = sum(cal[k][0] for k in range(1, 5))
truth = [cal[k][0] / cal_total for k in range(1, 5)]


def shares(name):
    counts = [0] * 4
    for (path, line), n in agg_lines(name).items():
        if os.path.basename(path) == "lines4.py":
            for k in range(1, 5):
                if line == loop["LOOP%d" % k]:
                    counts[k - 1] += n
    total = sum(counts)
    if total == 0:
        die("%s: no samples on the four loop lines" % name)
    return [c / total for c in counts], total


section("3. accuracy: four one-line loops, trip counts 1:2:3:4, "
        "%s s profiles" % P["acc_seconds"][0])
print("  truth: each loop alone (same compiled function, the other loops 0 "
      "trips),")
print("  median of %d calls each, plain build:" % cal[1][2])
table(["line", "ms per call", "spread", "truth share"],
      [["LOOP%d (line %d)" % (k, loop["LOOP%d" % k]),
        "%.2f" % (1e3 * cal[k][0]), "%.0f%%" % (100 * cal[k][1]),
        "%.4f" % truth[k - 1]] for k in range(1, 5)])
print("  (spread: (max - min) / median of the call times)")
print()
acc = {}
acc_mean = {}
rows = []
for v, hz in (("x1", RATE), ("x4", 4 * RATE), ("raw", RATE)):
    ks = runs("acc." + v)
    if not ks:
        continue
    tv, nsamp, sh = [], [], []
    for k in ks:
        s, n = shares("acc.%s.%d" % (v, k))
        tv.append(tvd(s, truth))
        nsamp.append(n)
        sh.append(s)
    acc[v] = tv
    mean_sh = [statistics.mean(s[i] for s in sh) for i in range(4)]
    acc_mean[v] = mean_sh
    rows.append([("--raw-debuginfo -F %d" % hz) if v == "raw"
                 else "-F %d" % hz, len(ks), "%d" % statistics.median(nsamp),
                 " ".join("%.4f" % x for x in mean_sh),
                 "%.4f" % statistics.mean(tv), "%.4f" % max(tv),
                 "<= 0.01" if v != "raw" else "-"])
table(["rate", "runs", "samples", "shares LOOP1..4 (mean)", "TVD mean",
       "worst", "target"], rows)
print("""  samples: on the four lines, median per run.  TVD = 0.5 * sum
  |share_pf - share_truth| over the four lines, shares from the SELF
  counts of pf-aggregate `line` records.  profila (gdb, ~100 Hz), same
  kind of test: mean 0.041, worst 0.131.""")
if "x1" in acc_mean and "x4" in acc_mean:
    # The profiles against each other: what sampling itself gets wrong,
    # without the truth's own noise (a noisy VM moves the truth more).
    agree = tvd(acc_mean["x1"], acc_mean["x4"])
    print("  %d Hz against %d Hz (mean shares): TVD %.4f; what is left "
          "against the truth is\n  the truth's own uncertainty when this is "
          "much smaller." % (RATE, 4 * RATE, agree))
    summary.append(("line shares, %d Hz against %d Hz (information)"
                    % (RATE, 4 * RATE), "-", "TVD %.4f" % agree, ""))
for v, what in (("x1", "%d Hz" % RATE), ("x4", "%d Hz" % (4 * RATE))):
    if v in acc:
        m, w = statistics.mean(acc[v]), max(acc[v])
        summary.append(("line shares after %s s at %s, TVD mean"
                        % (P["acc_seconds"][0], what), "<= 0.01",
                        "%.4f" % m, verdict(round(m, 4) <= 0.01)))
        summary.append(("line shares after %s s at %s, TVD worst"
                        % (P["acc_seconds"][0], what), "<= 0.01",
                        "%.4f" % w, verdict(round(w, 4) <= 0.01)))

# -- 4. samples -------------------------------------------------------------


def delivered(name):
    """Samples and CPU seconds of each busy thread in the work window."""
    r, x = res(name), rec(name)
    t0, t1 = r["window"]
    span = (t1 - t0) / 1e9
    per = {}
    for t, tid in x["samples"]:
        if t0 <= t <= t1:
            per[tid] = per.get(tid, 0) + 1
    busy = {tid: (per.get(tid, 0), cpu) for tid, cpu in r["threads"].items()
            if cpu > 0.1 * span and cpu > 0.05}
    return busy, x, r["pid"]


section("4. samples per CPU second of the busy thread, in the work loop")
rows = []
jit_all = unres_all = nosrc_all = 0
for hz in RATES:
    rates, lost, thr, jit, unres, nosrc = [], 0, 0, 0, 0, 0
    for k in REPS:
        name = "oh.F%d.%d" % (hz, k)
        busy, x, pid = delivered(name)
        if pid not in busy:
            die("%s: the main thread was not busy in the work loop" % name)
        n, cpu = busy[pid]
        rates.append(n / cpu)
        lost += x["lost"]
        thr += x["throttle"]
        j, u, ns = sym(name)
        jit, unres, nosrc = jit + j, unres + u, nosrc + ns
    jit_all, unres_all, nosrc_all = jit_all + jit, unres_all + unres, \
        nosrc_all + nosrc
    pct = 100 * statistics.median(rates) / hz
    rows.append(["%d Hz" % hz, med_range(rates, "%.0f"), "%.1f%%" % pct,
                 lost, thr, jit, unres, nosrc])
    if hz <= 4 * RATE:
        summary.append(("samples delivered at %d Hz" % hz, ">= 95%",
                        "%.1f%%" % pct, verdict(round(pct, 1) >= 95)))
    else:
        # Beyond 4x the default the interrupts themselves take a large
        # share of a VM's CPU: a figure, not a promise (bench/README.md).
        summary.append(("samples delivered at %d Hz (information)" % hz,
                        "-", "%.1f%%" % pct, ""))
table(["requested", "delivered /s", "of rate", "lost", "throttle",
       "JIT", "no line", "no source"], rows)
print("""  delivered: median [min..max] over the runs; target >= 95%% of the
  rate.  lost, throttle, JIT samples: sums over the %d runs of each rate,
  whole process.  JIT samples with FILE '-' (target 0), in two kinds:
  no line: in objects that have line tables, at code the compiler put
  on line 0 (no source line: loop set-up, epilogues); no source: in JIT
  objects without any line table (`object` record `nolines`: Numba's
  runtime, NRT_*, written in LLVM IR).""" % len(REPS))
print()
busy, x, pid = delivered("par.1")
layer = read_kv(os.path.join(W, "par.1.res")).get("layer", ["?"])[0]
print("  parallel=True kernel, NUMBA_NUM_THREADS=2 (threading layer %s), "
      "-F %d:" % (layer, RATE))
rows = []
if len(busy) < 2:
    print("  only %d thread(s) with CPU time in the loop: was the machine "
          "busy?" % len(busy))
    summary.append(("samples delivered, parallel, 2 busy threads", ">= 95%",
                    "%d busy" % len(busy), "MISS"))
for tid in sorted(busy):
    n, cpu = busy[tid]
    pct = 100 * n / cpu / RATE
    who = "main" if tid == pid else "worker"
    rows.append(["%d (%s)" % (tid, who), "%.2f s" % cpu, n,
                 "%.0f" % (n / cpu), "%.1f%%" % pct])
    summary.append(("samples delivered, parallel, %s thread" % who,
                    ">= 95%", "%.1f%%" % pct, verdict(round(pct, 1) >= 95)))
table(["thread", "CPU time", "samples", "per CPU s", "of rate"], rows)
j, u, ns = sym("par.1")
print("  lost %d, throttle %d; JIT samples %d, no line %d, no source %d"
      % (x["lost"], x["throttle"], j, u, ns))
jit_all, unres_all, nosrc_all = jit_all + j, unres_all + u, nosrc_all + ns
for name in sorted(os.path.basename(p)[:-4]
                   for p in glob.glob(os.path.join(W, "acc.x*.sym"))):
    j, u, ns = sym(name)
    jit_all, unres_all, nosrc_all = jit_all + j, unres_all + u, nosrc_all + ns
summary.append(("unresolved JIT samples: no function (default mode)", "0",
                "%d of %d" % (NONAME, jit_all), verdict(NONAME == 0)))
print("  unresolved (JIT samples with no function at all): %d of %d; the"
      % (NONAME, jit_all))
print("  %d on line 0 and %d in Numba's runtime are named by function."
      % (unres_all, nosrc_all))

# -- 5. --raw-debuginfo -----------------------------------------------------

section("5. --raw-debuginfo (NUMBA_DEBUGINFO=1, as profila): what it costs, "
        "-F %d" % RATE)
ins, proc, call = ratio["raw"]
rows = [["work loop / plain", med_range(ins)],
        ["whole process / plain", med_range(proc)],
        ["time per call / plain", med_range(call)]]
if "raw" in acc:
    rows.append(["four loops: TVD mean / worst",
                 "%.4f / %.4f" % (statistics.mean(acc["raw"]),
                                  max(acc["raw"]))])
table(["", "measured"], rows)
summary.append(("--raw-debuginfo: time per call / plain (information)",
                "-", "%.2fx" % statistics.median(call), "-"))

# Where a call of kernel() goes, by the samples in the work loop.
power = marker_lines(os.path.join(HERE, "kernel.py"), ["POWER"])["POWER"]


def where(name):
    r = res(name)
    t0, t1 = r["window"]
    c = {"power": 0, "int_power": 0, "jit": 0, "outside": 0}
    n = 0
    for x in sym_samples(name):
        if len(x) < 12 or not t0 <= int(x[1]) <= t1:
            continue
        n += 1
        chain = x[11].split(";")
        if x[6] != "jit":
            c["outside"] += 1
        elif (x[9].endswith("/kernel.py") and x[10] == str(power)) \
                or any(e.endswith("/kernel.py:%d" % power) for e in chain):
            c["power"] += 1
        elif "int_power" in x[8]:
            c["int_power"] += 1
        else:
            c["jit"] += 1
    ms = 1e3 * r["per_call_median"]
    return {k: ms * v / n for k, v in c.items()}


print()
print("  where a call of kernel() goes, ms per call (time per call split by "
      "the samples")
print("  in the work loop, medians over the runs):")
split = {v: [where("oh.%s.%d" % (v, k)) for k in vreps(v)] for v in (D, "raw")}
rows = []
for key, what in (("power", "line %d (x ** 2), with inlined code" % power),
                  ("int_power", "int_power, called (not inlined)"),
                  ("jit", "other JIT code"),
                  ("outside", "outside JIT code")):
    rows.append([what] + ["%.2f" % statistics.median(s[key] for s in split[v])
                          for v in (D, "raw")])
table(["", "default mode", "--raw-debuginfo"], rows)

# -- summary ----------------------------------------------------------------

section("summary")
table(["target", "wanted", "measured", ""], [list(s) for s in summary])
print()
print("  machine: %s, %s CPUs, %s, numba %s, python %s" % (
    P["cpu"][0], P["nproc"][0], P["kernel"][0], P["numba"][0],
    P["python"][0].split()[-1]))
print("  kernel.perf_event_max_sample_rate %s%s" % (
    P["max_sample_rate"][0], "; BENCH_QUICK=1" if P["quick"][0] == "1" else ""))


def seconds(t):
    """'1m2.5s' (the output of the shell's `times`) -> 62.5."""
    m, _, sec = t.rstrip("s").partition("m")
    return 60 * float(m) + float(sec)


def other_load():
    """CPU seconds used by other processes during the bench, and steal."""
    try:
        before = [int(x) for x in P["stat_before"][0].split()[1:]]
        after = [int(x) for x in P["stat_after"][0].split()[1:]]
        mine = sum(seconds(t) for t in P["times"][0].split())
        span = int(P["end"][0]) - int(P["start"][0])
    except (KeyError, ValueError, IndexError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    d = [(a - b) / hz for a, b in zip(after, before)]
    busy = d[0] + d[1] + d[2] + d[5] + d[6]  # user nice system irq softirq
    return max(0.0, busy - mine), d[7] if len(d) > 7 else 0.0, span


o = other_load()
if o is not None:
    print("  during the bench (%d s): %.0f CPU s used outside the bench's "
          "processes (by other" % (o[2], o[0]))
    print("  processes, or kernel work charged to none), hypervisor steal "
          "%.0f s;" % o[1])
    print("  load average %s before, %s after" % (
        P["load_before"][0], P["load_after"][0]))
