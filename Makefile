# cs - the client service model toolkit.  A plain Makefile: `make`, `make check`,
# `make demo`, `make install PREFIX=... DESTDIR=...`, `make sanitize`, `make bench`,
# `make fuzz FUZZ_SECONDS=N`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
PKG_CONFIG ?= pkg-config

# Where objects and binaries go; `make sanitize` uses its own pair.
BUILD ?= build
BIN ?= bin

JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
UTF8PROC_CFLAGS := $(shell $(PKG_CONFIG) --cflags libutf8proc 2>/dev/null)
UTF8PROC_LIBS := $(shell $(PKG_CONFIG) --libs libutf8proc 2>/dev/null || echo -lutf8proc)
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
XLSX_CFLAGS := $(shell $(PKG_CONFIG) --cflags xlsxwriter 2>/dev/null)
XLSX_LIBS := $(shell $(PKG_CONFIG) --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter -lz)

# The flags the build needs stay apart from the user's CFLAGS, so
# `make CFLAGS=-O0` cannot switch the warnings off.  Warnings are errors for
# developers and CI (DEVELOPER=1, as git does), not for someone building a
# release with a newer compiler.
WARNINGS = -Wall -Wextra -Wpedantic
ifeq ($(DEVELOPER),1)
WARNINGS += -Werror
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) \
	-Ilib -I$(BUILD)/gen $(JANSSON_CFLAGS) $(UTF8PROC_CFLAGS) $(CRYPTO_CFLAGS) $(XLSX_CFLAGS) \
	$(CFLAGS)
LIBS = -lcsv $(JANSSON_LIBS) $(UTF8PROC_LIBS) $(CRYPTO_LIBS) $(XLSX_LIBS) -lm

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRC)) $(BUILD)/gen/model_default.o
LIBCS := $(BUILD)/libcs.a
TOOLS := $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/cs*.c)))
BINS := $(addprefix $(BIN)/,$(TOOLS))
UNITS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(sort $(wildcard tests/unit/test_*.c)))
MANS := $(sort $(wildcard man/*.[1-9]))

all: $(BINS) $(UNITS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in model is lib/model_default.json, compiled in: one source of
# truth.  It has no team (it cannot know anyone's); examples/model.json is
# the example practice's model: the default plus a team.
$(BUILD)/gen/model_default.c: lib/model_default.json scripts/embed
	@mkdir -p $(@D)
	sh scripts/embed cs_default_model_json < lib/model_default.json > $@

$(BUILD)/gen/model_default.o: $(BUILD)/gen/model_default.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCS): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BIN)/%: cmd/%.c $(LIBCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCS) $(LIBS)

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(LIBCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCS) $(LIBS)

deps:
	@sh scripts/install-deps

# What the tests need beyond the build: xlsx2csv reads back the workbooks,
# Python's icalendar imports cs-due's calendars (tests/cases/cs-due/ics-import),
# GNU parallel runs examples/sharded.sh.
TEST_DEPS = xlsx2csv python3-icalendar parallel

# The README's test command: install what is missing, build, run every test.
check:
	@sh scripts/install-deps $(TEST_DEPS)
	@$(MAKE) --no-print-directory all
	@BIN=$(BIN) BUILD=$(BUILD) sh tests/run

# Kill cs-remove and cs-log at random points on a 50,000-row book and
# check that nothing is lost, doubled or left torn (tests/faults/run; a
# few minutes, so not part of check).  FAULTS_SEED and FAULTS_ROUNDS
# replay or lengthen a run.
FAULTS_SEED ?= 17
FAULTS_ROUNDS ?= 120
check-faults: deps
	@$(MAKE) --no-print-directory all
	@BIN=$(BIN) sh tests/faults/run -s $(FAULTS_SEED) -n $(FAULTS_ROUNDS)

# The README's demo: this week's touches in the bundled example book.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh $(BIN)

# `make sanitize CC=clang` builds apart from gcc's (build-san-clang/), so
# one never links the other's objects.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_DIR = san$(if $(findstring clang,$(CC)),-clang)
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-$(SAN_DIR) BIN=bin-$(SAN_DIR) \
		CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		BIN=bin-$(SAN_DIR) BUILD=build-$(SAN_DIR) sh tests/run

# valgrind 3.19 cannot read clang's DWARF 5: build apart with DWARF 4.
valgrind: deps
	@$(MAKE) --no-print-directory BUILD=build-vg BIN=bin-vg CFLAGS="-O1 -g -gdwarf-4" all
	@BIN=bin-vg BUILD=build-vg CS_VALGRIND=1 sh tests/run

# libFuzzer targets (tests/fuzz/README): the library built apart with
# clang, instrumented for the fuzzer and under ASan+UBSan, then each target
# run FUZZ_SECONDS after its regression inputs.  Reads are 1 KB there and
# cs-import --dedupe's arena chunks 4 KB, so small inputs cross their
# boundaries (and ASan is not slowed down by large allocations).  FUZZ_SKIP names targets to
# leave out of the run; FUZZ_ONLY runs only those named.
FUZZ_SECONDS ?= 30
# More libFuzzer options for every target, such as -seed=N.
FUZZ_FLAGS ?=
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SIZES = -DCS_INPUT_CHUNK=1024 -DCS_ARENA_CHUNK=4096
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIBCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIBCS) $(LIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz-build: deps
	@sh scripts/install-deps clang
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		CFLAGS="-O1 -g $(FUZZ_SIZES) -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		LDFLAGS="$(FUZZ_SAN)" fuzz-bins

fuzz: fuzz-build
	@FUZZ_FLAGS="$(FUZZ_FLAGS)" sh tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) \
		$(filter-out $(FUZZ_SKIP),$(or $(FUZZ_ONLY),$(FUZZ_TARGETS)))

# B, the yardstick of the benchmarks: a bare libcsv parse (bench/b.c).
$(BUILD)/bench/b: bench/b.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lcsv

# Wall time, CPU and peak RSS as ratios to B on 1,000,000 rows (BENCH_ROWS,
# BENCH_RUNS), beside Miller (and zsv when ZSV names one): bench/results.md.
# bench/run runs the older, longer scripts (due, import, raw, report, tier).
bench: all $(BUILD)/bench/b
	@sh scripts/install-deps miller hyperfine jq
	@sh bench/ratios.sh $(BIN) $(BUILD)/bench/b

# Instruction counts as ratios to B on 100,000 rows (IR_ROWS): steady on a busy machine.
bench-ir: all $(BUILD)/bench/b
	@sh bench/ir.sh $(BIN) $(BUILD)/bench/b

lint-man:
	@for m in $(MANS); do mandoc -Tlint -W warning $$m || exit 1; done

# Completions go where bash-completion and zsh look (bash loads a command's
# file by its name, so one copy for each); the examples to share/cs/examples.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
EXAMPLESDIR ?= $(PREFIX)/share/cs/examples
install: all
	mkdir -p "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man5"
	for t in $(TOOLS); do cp "$(BIN)/$$t" "$(DESTDIR)$(BINDIR)/$$t"; done
	for m in $(MANS); do s=$${m##*.}; cp $$m "$(DESTDIR)$(MANDIR)/man$$s/"; done
	mkdir -p "$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(EXAMPLESDIR)"
	for t in $(TOOLS); do cp completions/cs.bash "$(DESTDIR)$(BASHCOMPDIR)/$$t"; done
	cp completions/_cs "$(DESTDIR)$(ZSHCOMPDIR)/_cs"
	cp examples/* "$(DESTDIR)$(EXAMPLESDIR)/"

uninstall:
	for t in $(TOOLS); do rm -f "$(DESTDIR)$(BINDIR)/$$t" "$(DESTDIR)$(BASHCOMPDIR)/$$t"; done
	for m in $(MANS); do s=$${m##*.}; rm -f "$(DESTDIR)$(MANDIR)/man$$s/"$${m#man/}; done
	rm -f "$(DESTDIR)$(ZSHCOMPDIR)/_cs"
	rm -rf "$(DESTDIR)$(EXAMPLESDIR)"

clean:
	rm -rf build build-san build-san-clang build-vg build-fuzz bin bin-san bin-san-clang bin-vg

# A release tarball of what is committed at HEAD, named by CS_VERSION (lib/util.h,
# the one place the version is written): cs-VERSION.tar.gz, which builds and
# passes `make check` unpacked alone (.ci/run proves it).
VERSION := $(shell sed -n 's/^\#define CS_VERSION "\(.*\)"/\1/p' lib/util.h)
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make dist: not a git checkout" >&2; exit 1; }
	@git diff --quiet HEAD || echo "make dist: uncommitted changes are not in the tarball" >&2
	git archive --format=tar.gz --prefix=cs-$(VERSION)/ -o cs-$(VERSION).tar.gz HEAD
	@echo "cs-$(VERSION).tar.gz"

format:
	clang-format -i lib/*.c lib/*.h cmd/*.c tests/unit/*.c tests/fuzz/*.c tests/fuzz/*.h

.PHONY: all deps check check-faults demo sanitize valgrind fuzz fuzz-build fuzz-bins bench bench-ir lint-man install \
	uninstall clean format dist
