# tests/golden.sh - golden files; source it after lib.sh.
#
#   test_golden NAME ACTUAL
#
# ACTUAL must equal tests/golden/NAME (shown as a diff -u when not).
# With PF_REGEN_GOLDEN=1 in the environment, as tests/regen-golden.sh
# sets it, the golden file is overwritten with ACTUAL first: review the
# change with 'git diff tests/golden' before committing it.

test_golden() {
	if [ -n "${PF_REGEN_GOLDEN:-}" ]; then
		cp "$2" "$TOP/tests/golden/$1" || return 1
	fi
	test_cmp "$TOP/tests/golden/$1" "$2"
}
