# SPDX-License-Identifier: GPL-2.0-or-later
# Top-level build: `make` builds stap, staprun and stapio; `make check` runs
# every testsuite/*.sh runner and ends with "N passed, N failed".

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS += -D_GNU_SOURCE -Isrc -Ibuild/parse -MMD -MP
LDLIBS  += -ldw -lelf -lxxhash -lpthread

BUILD   := build
SRCS    := $(shell find src -name '*.c' | sort)
GRAMMAR := $(wildcard src/parse/grammar.y)
LEXER   := $(wildcard src/parse/lexer.l)
GEN_C   := $(GRAMMAR:src/parse/%.y=$(BUILD)/parse/%.tab.c) $(LEXER:src/parse/%.l=$(BUILD)/parse/%.lex.c)
GEN_H   := $(GEN_C:.c=.h)
OBJS    := $(SRCS:%.c=$(BUILD)/%.o) $(GEN_C:%.c=%.o)

# staprun/Makefile.inc defines STAPRUN_SRCS and STAPIO_SRCS
-include staprun/Makefile.inc
STAPRUN_OBJS := $(STAPRUN_SRCS:%.c=$(BUILD)/%.o)
STAPIO_OBJS  := $(STAPIO_SRCS:%.c=$(BUILD)/%.o)
# staprun/ is the source directory, so the binaries live in build/bin/
# (run_local looks there next to stap; staprun finds stapio next to itself)
PROGS := stap $(if $(STAPRUN_SRCS),$(BUILD)/bin/staprun) $(if $(STAPIO_SRCS),$(BUILD)/bin/stapio)

all: $(PROGS) $(if $(STAPRUN_SRCS),static) $(BUILD)/doc/stap.1 $(BUILD)/doc/stapfuncs.3stap

# the manual's limits section comes from the runtime headers that define them
$(BUILD)/doc/stap.1: doc/stap.1.in tools/gen-limits $(shell find runtime -name '*.h')
	@mkdir -p $(@D)
	cp doc/stap.1.in $@.tmp && tools/gen-limits --update $@.tmp && mv $@.tmp $@

# the tapset function reference comes from the tapsets' documentation blocks
$(BUILD)/doc/stapfuncs.3stap: tools/gen-tapset-doc $(shell find tapset -name '*.stp')
	@mkdir -p $(@D)
	tools/gen-tapset-doc -m tapset | sed -e '1s/^\.TH TAPSET /.TH STAPFUNCS /' \
		-e '3s/^tapset \\-/stapfuncs \\-/' > $@.tmp && mv $@.tmp $@

stap: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/bin/staprun: $(STAPRUN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS)

$(BUILD)/bin/stapio: $(STAPIO_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS)

# static copies for the guest initramfs
$(BUILD)/static/staprun: $(STAPRUN_SRCS)
	@mkdir -p $(@D)
	$(CC) -O2 -static -Iruntime -o $@ $^
$(BUILD)/static/stapio: $(STAPIO_SRCS)
	@mkdir -p $(@D)
	$(CC) -O2 -static -Iruntime -o $@ $^
static: $(BUILD)/static/staprun $(BUILD)/static/stapio

$(BUILD)/%.o: %.c | $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/parse/%.o: $(BUILD)/parse/%.c | $(GEN_H)
	$(CC) $(CPPFLAGS) -Isrc/parse $(CFLAGS) -Wno-sign-compare -Wno-unused-function -c -o $@ $<

$(BUILD)/parse/%.tab.c $(BUILD)/parse/%.tab.h: src/parse/%.y
	@mkdir -p $(@D)
	bison -Wall -d -o $(BUILD)/parse/$*.tab.c $<

$(BUILD)/parse/%.lex.c $(BUILD)/parse/%.lex.h: src/parse/%.l
	@mkdir -p $(@D)
	flex -o $(BUILD)/parse/$*.lex.c --header-file=$(BUILD)/parse/$*.lex.h $<

PREFIX  ?= /usr/local
BINDIR  := $(DESTDIR)$(PREFIX)/bin
LIBEXEC := $(DESTDIR)$(PREFIX)/libexec/stap
DATADIR := $(DESTDIR)$(PREFIX)/share/stap
MANDIR  := $(DESTDIR)$(PREFIX)/share/man

install: all static
	install -d $(BINDIR) $(LIBEXEC) $(DATADIR) $(MANDIR)/man1 $(MANDIR)/man8 $(MANDIR)/man3 $(MANDIR)/man7
	install -m 755 stap $(BINDIR)/stap
	$(if $(STAPRUN_SRCS),install -m 755 $(BUILD)/bin/staprun $(BINDIR)/staprun)
	$(if $(STAPIO_SRCS),install -m 755 $(BUILD)/bin/stapio $(LIBEXEC)/stapio)
	install -d $(LIBEXEC)/static
	$(if $(STAPRUN_SRCS),install -m 755 $(BUILD)/static/staprun $(BUILD)/static/stapio $(LIBEXEC)/static/)
	rm -rf $(DATADIR)/tapset $(DATADIR)/runtime
	cp -r tapset runtime $(DATADIR)/
	install -m 644 $(BUILD)/doc/stap.1 $(MANDIR)/man1/stap.1
	for m in $(wildcard doc/*.8); do install -m 644 $$m $(MANDIR)/man8/; done
	for m in $(wildcard doc/*.3stap); do install -m 644 $$m $(MANDIR)/man3/; done
	install -m 644 $(BUILD)/doc/stapfuncs.3stap $(MANDIR)/man3/stapfuncs.3stap
	install -m 644 doc/stap-language.7 $(MANDIR)/man7/stap-language.7
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 doc/bash-completion/stap $(DESTDIR)$(PREFIX)/share/bash-completion/completions/stap

uninstall:
	rm -f $(BINDIR)/stap $(BINDIR)/staprun
	rm -rf $(LIBEXEC) $(DATADIR)
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/stap
	rm -f $(MANDIR)/man1/stap.1 $(MANDIR)/man8/staprun.8 $(MANDIR)/man3/stapprobes.3stap \
	      $(MANDIR)/man3/stapfuncs.3stap $(MANDIR)/man7/stap-language.7

check: all
	@bash testsuite/run-all

clean:
	rm -rf $(BUILD) stap

.PHONY: all check clean static install uninstall
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
