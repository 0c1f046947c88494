/*
 * unwind.c - the call stack of each sample (pf-record -g).
 *
 * With each sample the kernel copies the thread's user registers and
 * the top of its user stack (PERF_SAMPLE_REGS_USER, PERF_SAMPLE_STACK_
 * USER), as for perf's --call-graph dwarf.  perf writes those bytes
 * into its recording and unwinds when it reports; at a few KiB a sample
 * a ten-minute recording would take gigabytes.  pf-record unwinds right
 * away instead, with the CFI of cfi.c, and writes only the return
 * addresses, as a tree: `stack ID PID PARENT PC` names one caller
 * frame, PC the return address into it and PARENT the frames that
 * called it, so each distinct chain of callers is written once and a
 * sample names its chain by one number.
 *
 * Unwinding stops at the outermost frame (its CFI leaves the return
 * address undefined, as _start's and clone's do), or early: when the
 * code at an address is unknown, has no CFI, or the frame lies beyond
 * the copied stack.  An early stop is written as a frame of PC 0 at the
 * root of the chain, so the caller frames that were found still count.
 */
#include "recorder.h"
#include "cfi.h"
#include "hash.h"
#include "util.h"

#include <dwarf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 512
#define MAX_EXPR_STACK 64

struct unwinder {
	FILE *out;
	struct cfi_table *cfi;
	struct hashmap nodes;	/* (pid, parent, pc) -> id */
	uint64_t next_id;
	struct unwind_totals totals;
	/* Unwinds that stopped at code without CFI, by the code's name. */
	struct hashmap nocfi;
	char **nocfi_name;
	uint64_t *nocfi_count;
	size_t nnocfi, nocfi_alloc;
};

struct unwinder *unwinder_new(FILE *out)
{
	struct unwinder *u = xcalloc(1, sizeof(*u));

	u->out = out;
	u->cfi = cfi_table_new();
	hashmap_init(&u->nodes);
	hashmap_init(&u->nocfi);
	u->next_id = 1;
	return u;
}

void unwinder_free(struct unwinder *u)
{
	size_t i;

	if (!u)
		return;
	cfi_table_free(u->cfi);
	hashmap_release(&u->nodes);
	hashmap_release(&u->nocfi);
	for (i = 0; i < u->nnocfi; i++)
		free(u->nocfi_name[i]);
	free(u->nocfi_name);
	free(u->nocfi_count);
	free(u);
}

void unwinder_add_file(struct unwinder *u, uint64_t start, uint64_t end,
		       uint64_t offset, const char *path)
{
	if (!strcmp(path, "[vdso]"))
		cfi_add_vdso(u->cfi, start, end);
	else
		cfi_add_file(u->cfi, start, end, offset, path);
}

void unwinder_add_jit(struct unwinder *u, uint64_t id,
		      const unsigned char *image, size_t size)
{
	cfi_add_jit(u->cfi, id, image, size);
}

struct state {
	uint64_t reg[CFI_NREGS];
	uint32_t valid;		/* bit r: reg[r] is known */
};

struct stack_copy {
	uint64_t sp;		/* the address of bytes[0] */
	const unsigned char *bytes;
	uint64_t size;
};

static int read_word(const struct stack_copy *sc, uint64_t addr,
		     uint64_t *value)
{
	if (addr < sc->sp || sc->size < 8 || addr - sc->sp > sc->size - 8)
		return -1;
	memcpy(value, sc->bytes + (addr - sc->sp), 8);
	return 0;
}

static int get_reg(const struct state *st, uint64_t reg, uint64_t *value)
{
	if (reg >= CFI_NREGS || !(st->valid & (1u << reg)))
		return -1;
	*value = st->reg[reg];
	return 0;
}

/*
 * Evaluate a DWARF expression of CFI (the operations libdw decoded) to
 * its value; the operations that CFI uses: constants, registers, the
 * CFA, memory on the copied stack, arithmetic and branches (glibc's
 * PLT entries compute the CFA from rip).  -1 for anything else.
 */
static int eval(const Dwarf_Op *ops, size_t nops, const struct state *st,
		uint64_t cfa, int have_cfa, const struct stack_copy *sc,
		uint64_t *result)
{
	uint64_t stack[MAX_EXPR_STACK], a, b;
	size_t sp = 0, i, steps = 0;

#define PUSH(v)                                                  \
	do {                                                     \
		if (sp == MAX_EXPR_STACK)                        \
			return -1;                               \
		stack[sp++] = (v);                               \
	} while (0)
#define POP(v)                                                   \
	do {                                                     \
		if (sp == 0)                                     \
			return -1;                               \
		(v) = stack[--sp];                               \
	} while (0)

	for (i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t atom = op->atom;

		if (++steps > 1000)
			return -1;	/* a loop */
		if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
			PUSH((uint64_t)(atom - DW_OP_lit0));
			continue;
		}
		if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
			if (get_reg(st, atom - DW_OP_breg0, &a))
				return -1;
			PUSH(a + op->number);
			continue;
		}
		switch (atom) {
		case DW_OP_addr:
		case DW_OP_const1u: case DW_OP_const1s:
		case DW_OP_const2u: case DW_OP_const2s:
		case DW_OP_const4u: case DW_OP_const4s:
		case DW_OP_const8u: case DW_OP_const8s:
		case DW_OP_constu: case DW_OP_consts:
			PUSH(op->number);
			break;
		case DW_OP_bregx:
			if (get_reg(st, op->number, &a))
				return -1;
			PUSH(a + op->number2);
			break;
		case DW_OP_call_frame_cfa:
			if (!have_cfa)
				return -1;
			PUSH(cfa);
			break;
		case DW_OP_dup:
			POP(a);
			PUSH(a);
			PUSH(a);
			break;
		case DW_OP_drop:
			POP(a);
			break;
		case DW_OP_over:
			if (sp < 2)
				return -1;
			a = stack[sp - 2];
			PUSH(a);
			break;
		case DW_OP_swap:
			POP(a);
			POP(b);
			PUSH(a);
			PUSH(b);
			break;
		case DW_OP_deref:
			POP(a);
			if (read_word(sc, a, &b))
				return -1;
			PUSH(b);
			break;
		case DW_OP_plus_uconst:
			POP(a);
			PUSH(a + op->number);
			break;
		case DW_OP_neg:
			POP(a);
			PUSH(-a);
			break;
		case DW_OP_not:
			POP(a);
			PUSH(~a);
			break;
		case DW_OP_plus: case DW_OP_minus: case DW_OP_mul:
		case DW_OP_and: case DW_OP_or: case DW_OP_xor:
		case DW_OP_shl: case DW_OP_shr: case DW_OP_shra:
		case DW_OP_eq: case DW_OP_ne: case DW_OP_lt:
		case DW_OP_le: case DW_OP_gt: case DW_OP_ge:
			POP(b);
			POP(a);
			switch (atom) {
			case DW_OP_plus:  a = a + b; break;
			case DW_OP_minus: a = a - b; break;
			case DW_OP_mul:   a = a * b; break;
			case DW_OP_and:   a = a & b; break;
			case DW_OP_or:    a = a | b; break;
			case DW_OP_xor:   a = a ^ b; break;
			case DW_OP_shl:   a = b < 64 ? a << b : 0; break;
			case DW_OP_shr:   a = b < 64 ? a >> b : 0; break;
			case DW_OP_shra:
				a = (uint64_t)((int64_t)a >> (b < 63 ? b : 63));
				break;
			case DW_OP_eq: a = (int64_t)a == (int64_t)b; break;
			case DW_OP_ne: a = (int64_t)a != (int64_t)b; break;
			case DW_OP_lt: a = (int64_t)a < (int64_t)b; break;
			case DW_OP_le: a = (int64_t)a <= (int64_t)b; break;
			case DW_OP_gt: a = (int64_t)a > (int64_t)b; break;
			default:       a = (int64_t)a >= (int64_t)b; break;
			}
			PUSH(a);
			break;
		case DW_OP_skip:
		case DW_OP_bra: {
			uint64_t target;
			size_t k;

			if (atom == DW_OP_bra) {
				POP(a);
				if (a == 0)
					break;
			}
			/* The target is relative to the end of this op. */
			target = op->offset + 3 + op->number;
			for (k = 0; k < nops && ops[k].offset != target; k++)
				;
			if (k == nops)
				return -1;
			i = k - 1;	/* the loop's i++ lands on k */
			if (k == 0)
				i = (size_t)-1;
			break;
		}
		case DW_OP_nop:
			break;
		default:
			return -1;
		}
	}
	if (sp == 0)
		return -1;
	*result = stack[sp - 1];
	return 0;
#undef PUSH
#undef POP
}

/*
 * One step: from the registers of a frame at pc, those of its caller.
 * UNWIND_MORE, or the reason the unwinding stops.
 */
static int step(struct unwinder *u, const struct cfi_rule *r,
		struct state *st, const struct stack_copy *sc)
{
	struct state next = { { 0 }, 0 };
	uint64_t cfa, v;
	size_t i;
	int reg;

	if (r->cfa_is_expr) {
		if (eval(r->cfa_ops, r->cfa_nops, st, 0, 0, sc, &cfa))
			return UNWIND_STACK_END;
	} else {
		if (get_reg(st, r->cfa_reg, &cfa))
			return UNWIND_BAD;
		cfa += (uint64_t)r->cfa_off;
	}
	/* Same value unless a rule says otherwise. */
	next = *st;
	next.valid &= ~(1u << CFI_REG_RA);
	for (i = 0; i < r->nregs; i++) {
		const struct cfi_reg_rule *rr = &r->regs[i];
		uint32_t bit = 1u << rr->reg;

		switch (rr->kind) {
		case RULE_UNDEF:
			next.valid &= ~bit;
			continue;
		case RULE_OFFSET:
			if (read_word(sc, cfa + (uint64_t)rr->value, &v))
				goto unreadable;
			break;
		case RULE_VAL_OFFSET:
			v = cfa + (uint64_t)rr->value;
			break;
		case RULE_REGISTER:
			if (get_reg(st, (uint64_t)rr->value, &v)) {
				next.valid &= ~bit;
				continue;
			}
			break;
		case RULE_EXPR:
			if (eval(rr->ops, rr->nops, st, cfa, 1, sc, &v) ||
			    read_word(sc, v, &v))
				goto unreadable;
			break;
		case RULE_VAL_EXPR:
			if (eval(rr->ops, rr->nops, st, cfa, 1, sc, &v))
				goto unreadable;
			break;
		default:
			continue;
		}
		next.reg[rr->reg] = v;
		next.valid |= bit;
		continue;
unreadable:
		/*
		 * In an epilogue the CFI still says where a register was
		 * saved after it was popped: below the stack pointer, so
		 * not in the copy.  Only the return address must be read.
		 */
		if (rr->reg == r->ra_reg)
			return UNWIND_STACK_END;
		next.valid &= ~bit;
	}
	reg = r->ra_reg;
	if (reg != CFI_REG_RA) {
		if (!(next.valid & (1u << reg)))
			return UNWIND_COMPLETE;
		next.reg[CFI_REG_RA] = next.reg[reg];
		next.valid |= 1u << CFI_REG_RA;
	}
	if (!(next.valid & (1u << CFI_REG_RA)) || next.reg[CFI_REG_RA] == 0)
		return UNWIND_COMPLETE;
	next.reg[CFI_REG_SP] = cfa;
	next.valid |= 1u << CFI_REG_SP;
	/* The stack grows down: a caller's frame lies above. */
	if (cfa <= st->reg[CFI_REG_SP] && !r->signal)
		return UNWIND_BAD;
	*st = next;
	(void)u;
	return UNWIND_MORE;
}

static void note_nocfi(struct unwinder *u, uint64_t pc)
{
	const char *name = cfi_code_name(u->cfi, pc);
	int added;
	size_t *slot;

	if (!name)
		return;
	slot = hashmap_insert(&u->nocfi, name, strlen(name), &added);
	if (added) {
		ALLOC_GROW(u->nocfi_name, u->nnocfi + 1, u->nocfi_alloc);
		u->nocfi_count = xreallocarray(u->nocfi_count, u->nocfi_alloc,
					       sizeof(*u->nocfi_count));
		u->nocfi_name[u->nnocfi] = xstrdup(name);
		u->nocfi_count[u->nnocfi] = 0;
		*slot = u->nnocfi++;
	}
	u->nocfi_count[*slot]++;
}

/* The node of frame pc called from parent, written when new. */
static uint64_t node(struct unwinder *u, uint32_t pid, uint64_t parent,
		     uint64_t pc)
{
	uint64_t key[3] = { pid, parent, pc };
	int added;
	size_t *slot = hashmap_insert(&u->nodes, key, sizeof(key), &added);

	if (added) {
		*slot = (size_t)u->next_id++;
		fprintf(u->out, "stack %zu %" PRIu32 " %" PRIu64 " %" PRIx64
			"\n", *slot, pid, parent, pc);
	}
	return (uint64_t)*slot;
}

/* x86-64 perf_regs order (AX BX CX DX SI DI BP SP IP R8-R15) to DWARF. */
static const uint8_t dwarf_of_perf[UNWIND_PERF_NREGS] = {
	0, 3, 2, 1, 4, 5, 6, 7, 16, 8, 9, 10, 11, 12, 13, 14, 15,
};

uint64_t unwinder_stack(struct unwinder *u, uint32_t pid, uint64_t ip,
			const uint64_t *perf_regs, const unsigned char *stack,
			uint64_t stack_size)
{
	uint64_t frames[MAX_FRAMES], parent = 0;
	struct stack_copy sc;
	struct state st = { { 0 }, 0 };
	size_t n = 0, i;
	int why = UNWIND_BAD, exact = 1;

	for (i = 0; i < UNWIND_PERF_NREGS; i++) {
		st.reg[dwarf_of_perf[i]] = perf_regs[i];
		st.valid |= 1u << dwarf_of_perf[i];
	}
	sc.sp = st.reg[CFI_REG_SP];
	sc.bytes = stack;
	sc.size = stack_size;
	/*
	 * A sample in the kernel: the user registers are those of the
	 * system call or interrupt, whose PC is the first caller.
	 */
	if (st.reg[CFI_REG_RA] != ip)
		frames[n++] = st.reg[CFI_REG_RA];
	while (n < MAX_FRAMES) {
		uint64_t pc = st.reg[CFI_REG_RA];
		const struct cfi_rule *r;
		enum cfi_status found;

		/* A return address is after the call: look up the call. */
		found = cfi_lookup(u->cfi, exact ? pc : pc - 1, &r);
		if (found == CFI_NO_CODE) {
			why = UNWIND_NO_CODE;
			break;
		}
		if (found == CFI_NO_RULE) {
			note_nocfi(u, exact ? pc : pc - 1);
			why = UNWIND_NO_CFI;
			break;
		}
		why = step(u, r, &st, &sc);
		if (why != UNWIND_MORE)
			break;
		exact = r->signal;
		/* An interrupted PC is exact: written one on, as a return. */
		frames[n++] = st.reg[CFI_REG_RA] + (exact ? 1 : 0);
	}
	if (n == MAX_FRAMES)
		why = UNWIND_DEPTH;
	u->totals.stacks++;
	u->totals.frames += n;
	u->totals.why[why]++;
	if (why != UNWIND_COMPLETE)
		parent = node(u, pid, 0, 0);
	for (i = n; i-- > 0;)
		parent = node(u, pid, parent, frames[i]);
	return parent;
}

void unwinder_totals(const struct unwinder *u, struct unwind_totals *t)
{
	*t = u->totals;
	t->nodes = u->next_id - 1;
}

const char *unwinder_worst_nocfi(const struct unwinder *u, uint64_t *count)
{
	size_t i, best = 0;

	if (!u->nnocfi)
		return NULL;
	for (i = 1; i < u->nnocfi; i++)
		if (u->nocfi_count[i] > u->nocfi_count[best])
			best = i;
	*count = u->nocfi_count[best];
	return u->nocfi_name[best];
}
