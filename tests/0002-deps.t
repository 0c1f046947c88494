#!/bin/sh
# scripts/deps.sh (make deps) against stub commands: what it reports,
# which Debian packages it asks for, when it runs apt-get and how.
. "$(dirname "$0")/lib.sh"

DEPS=$TOP/scripts/deps.sh
S=$T/state

# stubs: a fresh $T/bin where every dependency is present, the state
# directory empty.  Files in $S change the stubs' answers:
#   missing-NAME  pkg-config --exists NAME fails (apt-get install
#                 removes them unless $S/broken exists)
#   lists-empty   apt-get install fails until apt-get update
#   sudo-ok       sudo -n works
#   uid           what id -u prints (default 0)
RM=$(command -v rm)
CAT=$(command -v cat)
stubs() {
	rm -rf "${T:?}/bin" "${S:?}"
	mkdir -p "$T/bin" "$S"
	for c in cc make prove python3 gdb go true jupyter-nbconvert chromium mpirun; do
		printf '#!/bin/sh\nexit 0\n' >"$T/bin/$c"
	done
	cat >"$T/bin/pkg-config" <<STUB
#!/bin/sh
[ "\$1" = --exists ] || exit 2
shift
for m; do [ -e "$S/missing-\$m" ] && exit 1; done
exit 0
STUB
	cat >"$T/bin/id" <<STUB
#!/bin/sh
$CAT "$S/uid" 2>/dev/null || echo 0
STUB
	cat >"$T/bin/apt-get" <<STUB
#!/bin/sh
echo "\$*" >>"$S/apt.log"
case "\$1" in
update) $RM -f "$S/lists-empty" ;;
*) [ -e "$S/lists-empty" ] && exit 100
   [ -e "$S/broken" ] || $RM -f "$S"/missing-* ;;
esac
exit 0
STUB
	cat >"$T/bin/sudo" <<STUB
#!/bin/sh
[ -e "$S/sudo-ok" ] || exit 1
[ "\$1" = -n ] && shift
echo "sudo \$*" >>"$S/sudo.log"
exec "\$@"
STUB
	cat >"$T/bin/dpkg-query" <<STUB
#!/bin/sh
echo "install ok installed"
STUB
	chmod +x "$T/bin"/*
	ln -s "$(command -v env)" "$T/bin/env"
	ln -s "$(command -v grep)" "$T/bin/grep"
	ln -s /bin/sh "$T/bin/sh"
}

# deps: run a copy of deps.sh with only the stubs on PATH, beside a stub
# numba-python that finds numba unless $S/no-numba exists.  Output in
# out, err.
deps() {
	mkdir -p "$T/scripts"
	cp "$DEPS" "$T/scripts/deps.sh"
	printf '#!/bin/sh\n! test -e "%s/no-numba"\n' "$S" >"$T/scripts/numba-python"
	PATH=$T/bin PF_PYTHON='' /bin/sh "$T/scripts/deps.sh" "$@" >"$T/out" 2>"$T/err"
}

cd "$T" || exit 1

test_expect 'deps.sh is shellcheck-clean' '
	if command -v shellcheck >/dev/null; then shellcheck "$DEPS"; fi
'
test_expect 'on this machine: exit 0, quiet' '
	/bin/sh "$DEPS" >out 2>err && ! test -s out && ! test -s err ||
	{ cat out err; false; }
'
test_expect 'everything present: exit 0, no output, no apt-get' '
	stubs && deps && ! test -s out && ! test -s err && ! test -e "$S/apt.log"
'
test_expect 'no gdb: exit 0 with one note' '
	stubs && rm "$T/bin/gdb" && deps && ! test -s out &&
	test "$(wc -l <err)" -eq 1 && grep "gdb" err
'
test_expect 'not root, no sudo: prints the apt-get command, exit 1' '
	stubs && echo 1000 >"$S/uid" && touch "$S/missing-capstone" &&
	test_must_fail 1 deps && cat err &&
	grep -Fx "    sudo apt-get install -y libcapstone-dev" err &&
	grep "missing: capstone" err && ! test -e "$S/apt.log"
'
test_expect 'each missing check maps to its package, each package once' '
	stubs && echo 1000 >"$S/uid" && rm "$T/bin/cc" "$T/bin/make" \
		"$T/bin/prove" && touch "$S/missing-libdw" "$S/missing-libelf" &&
	test_must_fail 1 deps && cat err &&
	grep -Fx "    sudo apt-get install -y build-essential libdw-dev libelf-dev perl" err
'
test_expect 'no go: make deps does not mind, make check (--tests) asks for it' '
	stubs && echo 1000 >"$S/uid" && rm "$T/bin/go" && deps && ! test -s err &&
	test_must_fail 1 deps --tests && cat err &&
	grep -Fx "    sudo apt-get install -y golang-go" err
'
test_expect 'no chromium, no jupyter-nbconvert: only make check asks for them' '
	stubs && echo 1000 >"$S/uid" && rm "$T/bin/chromium" "$T/bin/jupyter-nbconvert" &&
	deps && ! test -s err &&
	test_must_fail 1 deps --tests && cat err &&
	grep -Fx "    sudo apt-get install -y jupyter-nbconvert chromium" err
'
test_expect 'no zlib: asks for zlib1g-dev' '
	stubs && echo 1000 >"$S/uid" && touch "$S/missing-zlib" &&
	test_must_fail 1 deps && grep -Fx "    sudo apt-get install -y zlib1g-dev" err
'
test_expect 'a compiler that cannot build asks for build-essential' '
	stubs && echo 1000 >"$S/uid" &&
	printf "#!/bin/sh\nexit 1\n" >"$T/bin/cc" &&
	test_must_fail 1 deps &&
	grep -Fx "    sudo apt-get install -y build-essential" err
'
test_expect 'no numba: asks for python3-numba and python3-numpy' '
	stubs && echo 1000 >"$S/uid" && touch "$S/no-numba" &&
	test_must_fail 1 deps && cat err &&
	grep -Fx "    sudo apt-get install -y python3-numba python3-numpy" err
'
test_expect 'no pkg-config: asks for it, dpkg tells about the libraries' '
	stubs && echo 1000 >"$S/uid" && rm "$T/bin/pkg-config" &&
	test_must_fail 1 deps && cat err &&
	grep -Fx "    sudo apt-get install -y pkg-config" err
'
test_expect 'root: apt-get install -y the missing packages, then exit 0' '
	stubs && touch "$S/missing-capstone" "$S/missing-libdw" && deps &&
	cat err "$S/apt.log" &&
	test "$(cat "$S/apt.log")" = \
		"install -y -q --no-install-recommends libdw-dev libcapstone-dev"
'
test_expect 'root, empty package lists: apt-get update, then install again' '
	stubs && touch "$S/missing-capstone" "$S/lists-empty" && deps &&
	cat "$S/apt.log" &&
	printf "%s\n" "install -y -q --no-install-recommends libcapstone-dev" \
		"update -q" \
		"install -y -q --no-install-recommends libcapstone-dev" >want &&
	test_cmp want "$S/apt.log"
'
test_expect 'root: still missing after the install is an error, exit 1' '
	stubs && touch "$S/missing-capstone" "$S/broken" &&
	test_must_fail 1 deps && cat err && grep "still missing" err
'
test_expect 'not root with password-less sudo: sudo apt-get' '
	stubs && echo 1000 >"$S/uid" && touch "$S/sudo-ok" "$S/missing-libelf" &&
	deps && cat err "$S/sudo.log" &&
	grep "^sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libelf-dev\$" "$S/sudo.log"
'
test_expect 'no apt-get: names what is missing, exit 1' '
	stubs && rm "$T/bin/apt-get" && touch "$S/missing-capstone" &&
	rm "$T/bin/prove" && test_must_fail 1 deps && cat err &&
	grep "missing: capstone (pkg-config capstone), prove (perl)" err &&
	grep "not a Debian system.*: libcapstone-dev perl\$" err
'
done_testing
