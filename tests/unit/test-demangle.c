/* test-demangle.c - readable_name (symbolize/demangle.h) */
#include "../../symbolize/demangle.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int names(const char *sym, enum name_style style, const char *want)
{
	char *got = readable_name(sym, style);
	int ok = !strcmp(got, want);

	if (!ok)
		printf("# got  %s\n# want %s\n", got, want);
	free(got);
	return ok;
}

int main(void)
{
	/* All from numba.core.itanium_mangler.mangle (numba 0.56). */
	static const char opt[] =
		"_ZN8__main__1fB2v1E49OptionalType_28array_28int64_2c_201d_2c"
		"_20A_29_2942reflected_20list_28int64_29_3civ_3dNone_3e";

	ok(names("_ZN8__main__6kernelB2v1B35c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA"
		 "E5ArrayIdLi1E1C7mutable7alignedE", NAMES_NUMBA,
		 "__main__.kernel(Array<double,1,C,mutable,aligned>)"),
	   "a Numba name: tags dropped, :: as ., the parameter list kept");
	ok(names(opt, NAMES_NUMBA,
		 "__main__.f(OptionalType(array(int64,1d,A)),"
		 "reflected_list(int64)<iv=None>)"),
	   "escaped spaces in types: dropped after a comma, else _");
	ok(names("_ZN8__main__6f_2021B2v1Ex", NAMES_NUMBA,
		 "__main__.f_2021(long long)"),
	   "a function's own name keeps a literal _20");
	ok(names("_ZN8__main__4make12_3clocals_3e5innerB2v1Ex",
		 NAMES_NUMBA, "__main__.make.<locals>.inner(long long)"),
	   "_3c and _3e decoded in the name");
	ok(names("_ZN5numba2np8arrayobj15_call_allocatorB2v1Ex", NAMES_NUMBA,
		 "numba.np.arrayobj._call_allocator(long long)"),
	   "_ca is no escape when no UTF-8 continuation follows");
	ok(names("_ZN8__main__9caf_c3_a9B2v1Ex", NAMES_NUMBA,
		 "__main__.caf\xc3\xa9(long long)"),
	   "a non-ASCII name: its UTF-8 bytes decoded together");
	ok(names(opt, NAMES_RAW, opt), "--no-demangle leaves it");
	ok(names("sin", NAMES_NUMBA, "sin"), "a C name stays");
	return done_testing();
}
