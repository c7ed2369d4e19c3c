#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run tests: every case in testsuite/run/*.case (or those named) runs in
# ONE qemu boot of the reference kernel.  See testsuite/run/README.
#   testsuite/run.sh [-v] [-k] [NAME...]
# Prints PASS:/FAIL:/SKIP: lines.
cd "$(dirname "$0")/.." || exit 1
B=build/testsuite
mkdir -p $B
SRC="testsuite/run/harness.c testsuite/run/case.c src/guest/cpio.c
     src/guest/kernel.c src/guest/proto.c src/guest/vm.c
     src/util/strbuf.c src/util/vec.c src/util/xalloc.c"
need=0
[ -x $B/run-harness ] || need=1
for f in $SRC testsuite/run/case.h src/guest/vm.h; do
	[ $f -nt $B/run-harness ] && need=1
done
if [ $need = 1 ] &&
   ! gcc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter \
	-Wno-missing-field-initializers -D_GNU_SOURCE -Isrc -Itestsuite/run \
	-o $B/run-harness $SRC 2>$B/run-harness.err; then
	echo "FAIL: run-harness: does not compile: $(head -n 3 $B/run-harness.err)"
	exit 1
fi
exec $B/run-harness -d testsuite/run "$@"
