# pf - a sampling profiler for JIT-compiled code.  See README.md.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/pf
# Where `make install` puts the Python package pf (python3 -m pf, the
# IPython extension): the site-packages of the Python that has numba.
PYTHONDIR ?= $(shell py=$$(sh scripts/numba-python) && "$$py" -c \
	'import sysconfig; print(sysconfig.get_path("purelib"))')

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
PF_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -Icommon
PKG_CONFIG ?= pkg-config
DW_CFLAGS = $(shell $(PKG_CONFIG) --cflags libdw libelf 2>/dev/null)
DW_LIBS = $(shell $(PKG_CONFIG) --libs libdw libelf 2>/dev/null)
ELF_LIBS = $(shell $(PKG_CONFIG) --libs libelf 2>/dev/null)
CS_CFLAGS = $(shell $(PKG_CONFIG) --cflags capstone 2>/dev/null)
CS_LIBS = $(shell $(PKG_CONFIG) --libs capstone 2>/dev/null)
Z_LIBS = $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz)
PROVE ?= prove

TOOLS = record/pf-record symbolize/pf-symbolize aggregate/pf-aggregate \
	annotate/pf-annotate
COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:.c=.o)
# A static library, so that each tool links only the parts it uses
# (elfmap.o needs libelf, which pf-aggregate does not).
COMMON_LIB = common/libpf.a
COMMON_HDR = $(wildcard common/*.h)
MANPAGES = $(wildcard */*.1)

all: $(TOOLS)

$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

%.o: %.c $(wildcard */*.h)
	$(CC) $(PF_CFLAGS) $(DW_CFLAGS) $(CS_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Where `make install` puts the start-up shim (found next to the binary
# first, so the build tree and a moved install work too).
record/pf-record.o: PF_CFLAGS += -DPF_SHIMDIR='"$(DATADIR)/shim"'
record/pf-record: $(patsubst %.c,%.o,$(wildcard record/*.c)) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DW_LIBS)
symbolize/pf-symbolize: $(patsubst %.c,%.o,$(wildcard symbolize/*.c)) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DW_LIBS) $(CS_LIBS) -lstdc++
aggregate/pf-aggregate: $(patsubst %.c,%.o,$(wildcard aggregate/*.c)) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(Z_LIBS)
annotate/pf-annotate: $(patsubst %.c,%.o,$(wildcard annotate/*.c)) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CS_LIBS)

# Test programs: C unit tests of common/ and the JIT fixture.
UNIT_TESTS = $(patsubst %.c,%,$(wildcard tests/unit/*.c))
# Numba's names: the one unit test of code outside common/.
tests/unit/test-demangle: tests/unit/test-demangle.c tests/unit/tap.h symbolize/demangle.o $(COMMON_LIB)
	$(CC) $(PF_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< symbolize/demangle.o $(COMMON_LIB) -lstdc++
tests/unit/%: tests/unit/%.c tests/unit/tap.h $(COMMON_LIB) $(COMMON_HDR)
	$(CC) $(PF_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(COMMON_LIB)
FIXTURES = tests/fixtures/jitfixture tests/fixtures/hot.o
tests/fixtures/hot.o: tests/fixtures/hot.c
	$(CC) -O1 -g -fno-pic -fno-asynchronous-unwind-tables -c -o $@ $<
# The fixture is a profiled program, not a tool: it is never built with
# the sanitizers (LeakSanitizer cannot run in a ptraced process).
FIXTURE_CFLAGS = -O2 -g
tests/fixtures/jitfixture: tests/fixtures/jitfixture.c
	$(CC) $(PF_CFLAGS) $(FIXTURE_CFLAGS) -pthread -o $@ $< $(ELF_LIBS)

# Makes long recordings from short ones: bench/stream.sh, test 0212.
bench/synth: bench/synth.c
	$(CC) $(PF_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
# What a sample costs a program: bench/cost.sh.
bench/busy: bench/busy.c
	$(CC) $(PF_CFLAGS) -O2 $(LDFLAGS) -pthread -o $@ $<

deps:
	@sh scripts/deps.sh

# The tests also need go (go tool pprof reads their pprof profiles).
test-deps:
	@sh scripts/deps.sh --tests

check: test-deps all $(UNIT_TESTS) $(FIXTURES) bench/synth
	PROVE='$(PROVE)' sh tests/run.sh

demo: deps all
	@sh scripts/demo.sh

bench: deps all bench/synth bench/busy
	@sh bench/run.sh

PY_PACKAGE = $(wildcard record/shim/pf/*.py)

# The package goes twice: beside the shim's sitecustomize.py (which
# imports it) and into PYTHONDIR, where `import pf` finds it; there it
# is told where the tools are (_installed.py).
install: all
	@test -n "$(PYTHONDIR)" || { echo "make install: no Python with numba to install pf's package for: set PYTHONDIR" >&2; exit 1; }
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/shim/pf $(DESTDIR)$(PYTHONDIR)/pf
	cp $(TOOLS) $(DESTDIR)$(BINDIR)/
	cp record/shim/sitecustomize.py $(DESTDIR)$(DATADIR)/shim/
	cp $(PY_PACKAGE) $(DESTDIR)$(DATADIR)/shim/pf/
	cp $(PY_PACKAGE) $(DESTDIR)$(PYTHONDIR)/pf/
	printf '# Written by make install.\nBINDIR = "%s"\n' "$(BINDIR)" \
		>$(DESTDIR)$(PYTHONDIR)/pf/_installed.py
	cp $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

clean:
	rm -f $(TOOLS) */*.o $(COMMON_LIB) tests/unit/*.o $(UNIT_TESTS) $(FIXTURES) bench/synth
	rm -rf tests/out

.PHONY: all deps test-deps check demo bench install clean

# The whole test suite on ASan + UBSan builds (rebuilds everything).
SANITIZE = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
check-sanitize:
	$(MAKE) clean
	$(MAKE) check WERROR= CFLAGS="$(SANITIZE)" LDFLAGS="$(SANITIZE)"
	$(MAKE) clean

.PHONY: check-sanitize
