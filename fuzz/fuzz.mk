# The libFuzzer build: every harness and the engine sources it needs, built
# with clang and -fsanitize=fuzzer,address,undefined into $(FUZZ_DIR).
# GNU make. Run by fuzz/Makefile.inc (make fuzz-build), which passes the
# source lists and flags configure found, so that this file never lists a
# module: a new rp/ file is built here as soon as Makefile.am has it.
#
# Kept out of automake on purpose: the main build's compiler is gcc, and
# automake allows one compiler per Makefile.

srcdir ?= .
FUZZ_DIR ?= fuzz-clang
FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -g -O1
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
# Given by Makefile.inc: the harnesses by name (fuzz/fuzz_<name>.c), the
# engine's sources, and the flags and libraries configure found for them.
FUZZ_HARNESSES ?=
RP_SOURCES ?=
RTR_SOURCES ?=
DEP_CPPFLAGS ?=
DEP_LIBS ?=

# config.h is configure's, in the build directory; "rp/x.h" from the source.
CPPFLAGS_ALL = -I. -I$(srcdir) $(DEP_CPPFLAGS)
CFLAGS_ALL = -std=c11 -Wall $(FUZZ_CFLAGS) $(FUZZ_SAN) -pthread

rp_objs = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter %.c,$(RP_SOURCES)))
rtr_objs = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter %.c,$(RTR_SOURCES)))
bins = $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_HARNESSES))

all: $(bins)

# The engine: instrumented for coverage, without libFuzzer's main.
$(FUZZ_DIR)/obj/%.o: $(srcdir)/%.c config.h
	@mkdir -p $(@D)
	@echo "  FUZZCC   $*.c"
	@$(FUZZ_CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer-no-link \
		-MMD -MP -c -o $@ $<

$(FUZZ_DIR)/librp.a: $(rp_objs)
	@rm -f $@ && ar cr $@ $^ && ranlib $@
$(FUZZ_DIR)/librtr.a: $(rtr_objs)
	@rm -f $@ && ar cr $@ $^ && ranlib $@

# librtr.a first: the RTR code calls into the engine, not the other way.
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/fuzz/fuzz_%.o $(FUZZ_DIR)/obj/fuzz/util.o \
		$(FUZZ_DIR)/librtr.a $(FUZZ_DIR)/librp.a
	@echo "  FUZZLD   $(@F)"
	@$(FUZZ_CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(DEP_LIBS)

-include $(rp_objs:.o=.d) $(rtr_objs:.o=.d) \
	$(patsubst %,$(FUZZ_DIR)/obj/fuzz/fuzz_%.d,$(FUZZ_HARNESSES)) \
	$(FUZZ_DIR)/obj/fuzz/util.d

.PHONY: all
.SECONDARY:
