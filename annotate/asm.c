/* asm.c - see asm.h */
#include "asm.h"
#include "tags.h"
#include "util.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * An instruction with at least half the samples of its line's hottest,
 * and a twentieth of the line's: '*'.  In the default view a block of a
 * line with less than a twentieth of the line's samples is folded.
 */
#define HOT_HALF 2
#define HOT_PART 20

struct asm_view {
	const struct code_set *cs;
	struct asm_options opt;
	csh cs_handle;
	size_t *order;		/* span indexes, sorted by key, then address */
	struct hashmap bykey;	/* key -> index into order of its first */
	size_t *group_nr;	/* spans of the key starting at order[i] */
};

/* The view's key of a span or line: line 0 by function alone. */
static size_t line_key(char *buf, size_t size, const char *file,
		       uint32_t line, const char *function)
{
	const char *fi = file ? file : "", *fn = function ? function : "";
	int n;

	if (line == 0)
		n = snprintf(buf, size, "%c%s", 1, fn);
	else
		n = snprintf(buf, size, "%s%c%" PRIu32 "%c%s", fi, 2, line, 2,
			     fn);
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

static const struct code_set *sort_set;

static int cmp_span(const void *pa, const void *pb)
{
	const struct code_span *a = &sort_set->span[*(const size_t *)pa];
	const struct code_span *b = &sort_set->span[*(const size_t *)pb];
	int r;

	if ((a->line == 0) != (b->line == 0))
		return (a->line == 0) - (b->line == 0);
	if (a->line && (r = cmp_string(a->file, b->file)))
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((r = cmp_string(a->function, b->function)))
		return r;
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	return (a->start > b->start) - (a->start < b->start);
}

struct asm_view *asm_view_new(const struct code_set *cs,
			      const struct asm_options *opt)
{
	struct asm_view *v = xcalloc(1, sizeof(*v));
	size_t i, nr = 0;
	char key[8192], prev[8192];
	size_t klen, plen = 0;

	v->cs = cs;
	v->opt = *opt;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &v->cs_handle) != CS_ERR_OK) {
		warn("capstone cannot disassemble x86-64 here");
		free(v);
		return NULL;
	}
	cs_option(v->cs_handle, CS_OPT_DETAIL, CS_OPT_ON);
	if (opt->att)
		cs_option(v->cs_handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	hashmap_init(&v->bykey);
	v->order = xreallocarray(NULL, cs->span_nr ? cs->span_nr : 1,
				 sizeof(*v->order));
	v->group_nr = xcalloc(cs->span_nr ? cs->span_nr : 1,
			      sizeof(*v->group_nr));
	for (i = 0; i < cs->span_nr; i++)
		if (!opt->selected || opt->selected[cs->span[i].fn])
			v->order[nr++] = i;
	sort_set = cs;
	qsort(v->order, nr, sizeof(*v->order), cmp_span);
	for (i = 0; i < nr; i++) {
		const struct code_span *s = &cs->span[v->order[i]];
		size_t *slot, first;

		klen = line_key(key, sizeof(key), s->file, s->line, s->function);
		if (!klen)
			continue;
		if (klen == plen && !memcmp(key, prev, klen)) {
			first = *hashmap_find(&v->bykey, key, klen);
			v->group_nr[first]++;
			continue;
		}
		slot = hashmap_insert(&v->bykey, key, klen, NULL);
		*slot = i;
		v->group_nr[i] = 1;
		memcpy(prev, key, klen);
		plen = klen;
	}
	return v;
}

void asm_view_free(struct asm_view *v)
{
	if (!v)
		return;
	cs_close(&v->cs_handle);
	hashmap_release(&v->bykey);
	free(v->order);
	free(v->group_nr);
	free(v);
}

void asm_print_legend(void)
{
	puts("# --asm: under each line its instructions: share of the samples, "
	     "offset in the\n"
	     "#   function, text; * marks the line's hottest (half of its top "
	     "one or more).\n"
	     "#   A timer sample names the instruction after the one that was "
	     "running (skid):\n"
	     "#   a slow instruction's cost shows on the one after it.");
}

/* What a line's arithmetic is: packed SIMD, scalar, or neither. */
struct simd {
	unsigned packed_fp, packed_int, scalar;
	unsigned width;		/* widest packed register, bytes */
	unsigned elem;		/* element bytes of the widest packed op */
	int fp_double;		/* that op works on doubles */
	char scalar_names[3][32];	/* the first scalar mnemonics */
	size_t scalar_names_nr;
	uint64_t frame;		/* samples on the call's entry and exit */
};

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int fp_arith_root(const char *m, size_t len)
{
	static const char *const roots[] = {
		"add", "sub", "mul", "div", "sqrt", "min", "max", "rcp",
		"rsqrt", "hadd", "hsub", "addsub", "dp", "round", "fmadd",
		"fmsub", "fnmadd", "fnmsub", "fmaddsub", "fmsubadd",
	};
	size_t i, n;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		n = strlen(roots[i]);
		if (len < n || strncmp(m, roots[i], n))
			continue;
		/* fmadd231: the operand order digits follow the root. */
		if (len == n || strspn(m + n, "0123456789") == len - n)
			return 1;
	}
	return 0;
}

/* The widest vector register among the instruction's operands. */
static unsigned vector_width(csh h, const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;
	unsigned w = 0;
	int i;

	for (i = 0; i < x->op_count; i++) {
		const char *r;

		if (x->operands[i].type != X86_OP_REG ||
		    !(r = cs_reg_name(h, x->operands[i].reg)))
			continue;
		if (starts(r, "xmm") && w < 16)
			w = 16;
		else if (starts(r, "ymm") && w < 32)
			w = 32;
		else if (starts(r, "zmm") && w < 64)
			w = 64;
	}
	return w;
}

static void classify(csh h, const cs_insn *in, struct simd *s)
{
	const char *m = in->mnemonic;
	size_t len, i;
	unsigned w;

	if (!in->detail || !(w = vector_width(h, in)))
		return;
	if (m[0] == 'v')
		m++;
	len = strlen(m);
	if (len > 2 && fp_arith_root(m, len - 2)) {
		const char *suffix = m + len - 2;
		int dbl = suffix[1] == 'd';

		if (!strcmp(suffix, "pd") || !strcmp(suffix, "ps")) {
			if (w > s->width || !s->packed_fp) {
				s->width = w;
				s->elem = dbl ? 8 : 4;
				s->fp_double = dbl;
			}
			s->packed_fp++;
			return;
		}
		if (!strcmp(suffix, "sd") || !strcmp(suffix, "ss")) {
			s->scalar++;
			for (i = 0; i < s->scalar_names_nr; i++)
				if (!strcmp(s->scalar_names[i], in->mnemonic))
					break;
			if (i == s->scalar_names_nr && i < 3)
				snprintf(s->scalar_names[s->scalar_names_nr++],
					 sizeof(s->scalar_names[0]), "%s",
					 in->mnemonic);
			return;
		}
	}
	if (m[0] == 'p' && (starts(m, "padd") || starts(m, "psub") ||
			    starts(m, "pmul") || starts(m, "pmadd") ||
			    starts(m, "pmin") || starts(m, "pmax") ||
			    starts(m, "pabs"))) {
		char last = m[len - 1];
		unsigned elem = last == 'b' ? 1 : last == 'w' ? 2
			      : last == 'q' ? 8 : 4;

		s->packed_int++;
		if (!s->packed_fp && w > s->width) {
			s->width = w;
			s->elem = elem;
		}
	}
}

/*
 * Whether in builds or tears down the function's frame: pushes and pops
 * of the registers it saves, moving the stack pointer by a constant,
 * leave, ret.  The samples on them are what each call costs, apart from
 * the work, and the code a compiler gives no source line often is just
 * that: the epilogue after the last line, the prologue before the first.
 * AT&T mnemonics carry a size suffix (pushq, retq).
 */
static int is_frame(const cs_insn *in)
{
	const char *m = in->mnemonic;
	const cs_x86 *x = in->detail ? &in->detail->x86 : NULL;
	int i;

	if ((starts(m, "push") && !starts(m, "pushf")) ||
	    (starts(m, "pop") && !starts(m, "popf") && !starts(m, "popcnt")) ||
	    starts(m, "ret") || starts(m, "leave"))
		return 1;
	if (!x || (!starts(m, "add") && !starts(m, "sub") &&
		   !starts(m, "lea")))
		return 0;
	/* add rsp, 0x18; lea rsp, [rbp - 0x28] (not lea rdi, [rsp + 8]). */
	for (i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG &&
		    x->operands[i].reg == X86_REG_RSP)
			return 1;
	return 0;
}

static const char *reg_class(unsigned width)
{
	return width == 64 ? "zmm" : width == 32 ? "ymm" : "xmm";
}

static void print_verdict(const struct asm_view *v, const struct simd *s)
{
	size_t i;

	if (!s->packed_fp && !s->packed_int && !s->scalar)
		return;
	put_tag(TAG_ASM);
	printf("%*s |     [", v->opt.width, "");
	if (s->packed_fp)
		printf("vectorized: %u %s per instruction (%s)",
		       s->width / s->elem, s->fp_double ? "doubles" : "floats",
		       reg_class(s->width));
	else if (s->packed_int)
		printf("vectorized: %u %u-bit integers per instruction (%s)",
		       s->width / s->elem, s->elem * 8, reg_class(s->width));
	if ((s->packed_fp || s->packed_int) && s->scalar)
		printf("; %u scalar too", s->scalar);
	else if (s->scalar) {
		printf("scalar: %u floating-point instruction%s, one value each (",
		       s->scalar, s->scalar == 1 ? "" : "s");
		for (i = 0; i < s->scalar_names_nr; i++)
			printf("%s%s", i ? ", " : "", s->scalar_names[i]);
		printf("%s)", s->scalar_names_nr < s->scalar ? ", ..." : "");
	}
	puts("]");
}

/* A share as the listing shows them, or blank for none. */
static void print_share(const struct asm_view *v, uint64_t n)
{
	if (!n)
		printf("%7s", "");
	else if (v->opt.numbers)
		printf("%7" PRIu64, n);
	else
		printf("%6.1f%%", v->opt.samples ? 100.0 * (double)n /
							(double)v->opt.samples
						 : 0.0);
}

/* A share as text, "1.2%" (or the count). */
static void print_share_text(const struct asm_view *v, uint64_t n)
{
	if (v->opt.numbers)
		printf("%" PRIu64, n);
	else
		printf("%.1f%%", v->opt.samples ? 100.0 * (double)n /
						       (double)v->opt.samples
						 : 0.0);
}

/*
 * When most of a line's samples are on building and tearing down the
 * frame (is_frame), say so: that time goes with the number of calls,
 * not with the work the line does.
 */
static void print_frame_verdict(const struct asm_view *v,
				const struct simd *s, uint64_t self)
{
	if (!s->frame || s->frame * 2 < self)
		return;
	put_tag(TAG_ASM);
	printf("%*s |     [", v->opt.width, "");
	print_share_text(v, s->frame);
	puts(" on the call's entry and exit (registers saved and restored,"
	     " the frame, ret): paid once per call]");
}

/* The line of the span of fn that holds addr, or 0. */
static uint32_t line_at(const struct code_set *cs, size_t fn, uint64_t addr)
{
	size_t i;

	for (i = 0; i < cs->span_nr; i++)
		if (cs->span[i].fn == fn && cs->span[i].start <= addr &&
		    addr < cs->span[i].end)
			return cs->span[i].line;
	return 0;
}

/*
 * The operands of in, with a direct jump's or call's target named: an
 * offset in its own function (and the target's line when it is another
 * one), another function of the set by name.
 */
static void print_operands(const struct asm_view *v, size_t fn,
			   const cs_insn *in, uint32_t line)
{
	const struct code_set *cs = v->cs;
	const struct code_function *f = &cs->fn[fn], *g;
	const cs_x86 *x = in->detail ? &in->detail->x86 : NULL;
	int branch = in->detail &&
		     (cs_insn_group(v->cs_handle, in, CS_GRP_JUMP) ||
		      cs_insn_group(v->cs_handle, in, CS_GRP_CALL));
	uint64_t target;
	int i;

	if (!branch || !x || x->op_count != 1 ||
	    x->operands[0].type != X86_OP_IMM) {
		fputs(in->op_str, stdout);
		/* movabs rax, <address of a function>: say which. */
		for (i = 0; x && i < x->op_count; i++)
			if (x->operands[i].type == X86_OP_IMM &&
			    (g = code_set_function_at(cs, f->object,
						      (uint64_t)x->operands[i].imm)) &&
			    g->start == (uint64_t)x->operands[i].imm && g->name)
				printf("   ; %s", g->name);
		return;
	}
	target = (uint64_t)x->operands[0].imm;
	if (target >= f->start && target < f->end) {
		uint32_t l = line_at(cs, fn, target);

		printf("+%" PRIx64, target - f->start);
		if (l && l != line)
			printf("   (line %" PRIu32 ")", l);
		return;
	}
	g = code_set_function_at(cs, f->object, target);
	if (g && g->name) {
		fputs(g->name, stdout);
		if (target != g->start)
			printf("+%" PRIx64, target - g->start);
		return;
	}
	fputs(in->op_str, stdout);
}

/* One block: the instructions of [start, end) of function fn. */
struct block {
	size_t fn;
	uint64_t start, end;
	uint64_t samples;
	uint64_t hottest;	/* samples of its hottest instruction */
	int missing;		/* some of its bytes are not in the stream */
};

/*
 * Disassemble block b; with print, print each instruction (line_self
 * for the marks), else only classify them into s and count its samples.
 * Returns the number of instructions.
 */
static int is_hot(uint64_t samples, uint64_t line_self, uint64_t hottest)
{
	return samples && samples * HOT_HALF >= hottest &&
	       samples * HOT_PART >= line_self;
}

static size_t walk_block(struct asm_view *v, struct block *b, int print,
			 uint64_t line_self, uint64_t hottest, uint32_t line,
			 struct simd *s)
{
	const struct code_function *f = &v->cs->fn[b->fn];
	const uint8_t *code;
	uint64_t addr = b->start, i;
	size_t size = (size_t)(b->end - b->start), n = 0;
	cs_insn *in;

	for (i = b->start - f->start; i < b->end - f->start; i++)
		if (!f->bytes || !f->have[i]) {
			b->missing = 1;
			if (print) {
				put_tag(TAG_ASM);
				printf("%*s |       (no code bytes for +%" PRIx64
				       "..+%" PRIx64 ": %s)\n", v->opt.width, "",
				       b->start - f->start, b->end - f->start,
				       f->bytes ? "codedata missing"
						: "the stream has none");
			}
			return 0;
		}
	code = f->bytes + (b->start - f->start);
	in = cs_malloc(v->cs_handle);
	while (size > 0) {
		uint64_t at = addr, samples;
		char offset[24];

		if (!cs_disasm_iter(v->cs_handle, &code, &size, &addr, in)) {
			if (print) {
				put_tag(TAG_ASM);
				printf("%*s |       (%zu byte%s at +%" PRIx64
				       " do not decode)\n", v->opt.width, "",
				       size, size == 1 ? "" : "s",
				       at - f->start);
			}
			break;
		}
		n++;
		samples = code_set_samples(v->cs, f->object, at);
		if (!print) {
			b->samples += samples;
			if (samples > b->hottest)
				b->hottest = samples;
			if (s) {
				classify(v->cs_handle, in, s);
				if (samples && is_frame(in))
					s->frame += samples;
			}
			continue;
		}
		put_tag(TAG_ASM);
		printf("%*s |   ", v->opt.width, "");
		print_share(v, samples);
		snprintf(offset, sizeof(offset), "+%" PRIx64, at - f->start);
		printf(" %c %7s  %s", is_hot(samples, line_self, hottest)
					? '*' : ' ', offset, in->mnemonic);
		/* Operands from column 8, at least a space after; none
		   after an instruction without them (ret). */
		if (in->op_str[0])
			printf("%*s", strlen(in->mnemonic) < 8
				       ? (int)(8 - strlen(in->mnemonic)) : 1, "");
		print_operands(v, b->fn, in, line);
		putchar('\n');
	}
	cs_free(in, 1);
	return n;
}

int asm_has_line(const struct asm_view *v, const char *file, uint32_t line,
		 const char *function)
{
	char key[8192];
	size_t klen = line_key(key, sizeof(key), file, line, function);

	return klen && hashmap_find(&v->bykey, key, klen) != NULL;
}

size_t asm_print_line(struct asm_view *v, const char *file, uint32_t line,
		      const char *function)
{
	char key[8192];
	size_t klen = line_key(key, sizeof(key), file, line, function);
	size_t *slot = klen ? hashmap_find(&v->bykey, key, klen) : NULL;
	struct block *b = NULL;
	size_t nb = 0, alloc = 0, i, shown = 0, prev_fn = (size_t)-1;
	uint64_t self = 0, hottest = 0;
	struct simd s;
	int many_fns = 0;

	if (!slot)
		return 0;
	/* Contiguous spans of a function are one block. */
	for (i = *slot; i < *slot + v->group_nr[*slot]; i++) {
		const struct code_span *sp = &v->cs->span[v->order[i]];

		if (nb && b[nb - 1].fn == sp->fn && b[nb - 1].end == sp->start) {
			b[nb - 1].end = sp->end;
			continue;
		}
		ALLOC_GROW(b, nb + 1, alloc);
		b[nb].fn = sp->fn;
		b[nb].start = sp->start;
		b[nb].end = sp->end;
		b[nb].samples = b[nb].hottest = 0;
		b[nb].missing = 0;
		if (nb && b[nb - 1].fn != sp->fn)
			many_fns = 1;
		nb++;
	}
	memset(&s, 0, sizeof(s));
	for (i = 0; i < nb; i++) {
		walk_block(v, &b[i], 0, 0, 0, line, &s);
		self += b[i].samples;
		if (b[i].hottest > hottest)
			hottest = b[i].hottest;
	}
	print_verdict(v, &s);
	print_frame_verdict(v, &s, self);
	for (i = 0; i < nb; i++) {
		const struct code_function *f = &v->cs->fn[b[i].fn];

		if (many_fns && b[i].fn != prev_fn) {
			put_tag(TAG_ASM);
			printf("%*s |     in %s (%s):\n", v->opt.width, "",
			       f->name ? f->name : "(unnamed)", f->object);
			prev_fn = b[i].fn;
		} else if (i) {
			put_tag(TAG_ASM);
			printf("%*s |          ...\n", v->opt.width, "");
		}
		if (!v->opt.full && !b[i].missing &&
		    b[i].samples * HOT_PART < self + !self) {
			size_t n = walk_block(v, &b[i], 0, 0, 0, line, NULL);

			put_tag(TAG_ASM);
			printf("%*s |            %zu instruction%s at +%" PRIx64
			       "..+%" PRIx64 ", ", v->opt.width, "", n,
			       n == 1 ? "" : "s", b[i].start - f->start,
			       b[i].end - f->start);
			if (b[i].samples) {
				print_share_text(v, b[i].samples);
				puts(" (--function shows them)");
			} else {
				puts("no samples");
			}
			shown += n;
			continue;
		}
		shown += walk_block(v, &b[i], 1, self, hottest, line, NULL);
	}
	free(b);
	return shown;
}

uint64_t asm_span_samples(struct asm_view *v, size_t span)
{
	const struct code_span *sp = &v->cs->span[span];
	struct block b = { sp->fn, sp->start, sp->end, 0, 0, 0 };

	walk_block(v, &b, 0, 0, 0, 0, NULL);
	return b.samples;
}

uint64_t asm_function_samples(struct asm_view *v, size_t fn)
{
	const struct code_function *f = &v->cs->fn[fn];
	struct block b = { fn, f->start, f->end, 0, 0, 0 };

	if (f->bytes)
		walk_block(v, &b, 0, 0, 0, 0, NULL);
	return b.samples;
}

void asm_print_function(struct asm_view *v, size_t fn)
{
	const struct code_set *cs = v->cs;
	const struct code_function *f = &cs->fn[fn];
	uint64_t self = 0, hottest = 0;
	size_t i;

	if (!f->bytes) {
		put_tag(TAG_ASM);
		printf("%*s |       (no code bytes: %s)\n", v->opt.width, "",
		       f->how);
		return;
	}
	for (i = 0; i < cs->span_nr; i++) {
		struct block b = { fn, cs->span[i].start, cs->span[i].end, 0, 0,
				   0 };

		if (cs->span[i].fn == fn) {
			walk_block(v, &b, 0, 0, 0, 0, NULL);
			self += b.samples;
			if (b.hottest > hottest)
				hottest = b.hottest;
		}
	}
	for (i = 0; i < cs->span_nr; i++) {
		const struct code_span *sp = &cs->span[i];
		struct block b = { fn, sp->start, sp->end, 0, 0, 0 };

		if (sp->fn != fn)
			continue;
		if (sp->line && sp->file) {
			put_tag(TAG_ASM);
			printf("%*s |     %s:%" PRIu32 "\n", v->opt.width, "",
			       sp->file, sp->line);
		}
		walk_block(v, &b, 1, self, hottest, sp->line, NULL);
	}
}
