/*
 * ifunc.h - the exported function behind an IFUNC implementation.
 *
 * glibc's libm exports sin, exp and pow, but their time is spent in
 * implementations chosen at load time for the CPU: __sin_fma, reached
 * through sin's IFUNC resolver, and __ieee754_exp_fma, which exp calls
 * through a PLT slot that an R_X86_64_IRELATIVE relocation fills from a
 * resolver.  None of them is exported and none lies inside the function
 * the user called, so by address alone their samples bear internal
 * names, or none without debug symbols.  On x86-64 the resolvers'
 * RIP-relative lea instructions name the implementations they choose
 * from (capstone disassembles them), and the PLT stubs and the exported
 * functions' direct calls to them say which exported function reaches
 * which resolver: each implementation gets the name of the exported
 * function that reaches it (of several, the one whose name is part of
 * the implementation's own, else the plainest: sin before
 * __lgamma_r_finite, which calls it too).
 */
#ifndef PF_SYMBOLIZE_IFUNC_H
#define PF_SYMBOLIZE_IFUNC_H

#include "symindex.h"

#include <gelf.h>

/*
 * Set the alias of the index's entries that implement an exported
 * function, and add entries for implementations that have no symbol
 * (without debug symbols); elf is the file with the code, bias its
 * module bias.  The caller sorts the index again.
 */
void ifunc_aliases(struct symindex *ix, Elf *elf, uint64_t bias);

#endif
