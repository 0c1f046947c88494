/*
 * cfi.h - where the unwinder finds the call frame information (CFI) of
 * an address: the mapped files, the vDSO and the captured JIT objects,
 * and the rules of each address, looked up with libdw once and kept.
 *
 * Registers are numbered as DWARF numbers them on x86-64: 0-15 the
 * general registers (rax rdx rcx rbx rsi rdi rbp rsp r8-r15), 16 the
 * return address (rip).
 */
#ifndef PF_RECORD_CFI_H
#define PF_RECORD_CFI_H

#include <elfutils/libdw.h>
#include <stddef.h>
#include <stdint.h>

#define CFI_NREGS 17
#define CFI_REG_BP 6
#define CFI_REG_SP 7
#define CFI_REG_RA 16

enum cfi_rule_kind {
	RULE_SAME,		/* the caller's value is this frame's */
	RULE_UNDEF,		/* lost: the outermost frame, for the RA */
	RULE_OFFSET,		/* saved at CFA + value */
	RULE_VAL_OFFSET,	/* is CFA + value */
	RULE_REGISTER,		/* is in register value */
	RULE_EXPR,		/* saved at the address ops compute */
	RULE_VAL_EXPR,		/* is what ops compute */
};

struct cfi_reg_rule {
	uint8_t reg, kind;
	int64_t value;
	Dwarf_Op *ops;		/* RULE_EXPR, RULE_VAL_EXPR: owned copies */
	size_t nops;
};

/* What one address says about its caller's registers. */
struct cfi_rule {
	int cfa_is_expr;
	uint8_t cfa_reg;	/* CFA = reg + cfa_off, unless cfa_is_expr */
	int64_t cfa_off;
	Dwarf_Op *cfa_ops;
	size_t cfa_nops;
	int signal;		/* a signal frame: the caller's PC is exact */
	uint8_t ra_reg;		/* the column of the return address */
	uint8_t nregs;		/* rules other than RULE_SAME */
	struct cfi_reg_rule regs[CFI_NREGS];
};

struct cfi_table;

struct cfi_table *cfi_table_new(void);
void cfi_table_free(struct cfi_table *t);

/*
 * [start, end) maps path from file offset offset.  Opened when an
 * address in it is first unwound; a mapping over older ones replaces
 * them.
 */
void cfi_add_file(struct cfi_table *t, uint64_t start, uint64_t end,
		  uint64_t offset, const char *path);
/* The vDSO at [start, end): the kernel's, as pf-record's own. */
void cfi_add_vdso(struct cfi_table *t, uint64_t start, uint64_t end);
/*
 * A captured JIT object (a relocatable ELF image whose sh_addr are the
 * process addresses its sections were loaded at): its .eh_frame and
 * .debug_frame are relocated in a copy, as the JIT did in the process.
 */
void cfi_add_jit(struct cfi_table *t, uint64_t id, const unsigned char *image,
		 size_t size);

enum cfi_status {
	CFI_FOUND,
	CFI_NO_CODE,	/* pc is in no known mapping or object */
	CFI_NO_RULE,	/* in known code, but no CFI covers pc */
};

/*
 * The rules at pc (a process address).  The rule stays valid until the
 * next cfi_add_*.
 */
enum cfi_status cfi_lookup(struct cfi_table *t, uint64_t pc,
			   const struct cfi_rule **rule);

/* The name of the code at pc ("/usr/lib/.../libm.so.6", "jit:3"), or NULL. */
const char *cfi_code_name(struct cfi_table *t, uint64_t pc);

#endif
