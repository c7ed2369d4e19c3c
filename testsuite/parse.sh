#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass-1 tests, run from the repository root:
#   testsuite/parse-ok/*.stp  `stap -p1` must exit 0, and its output must
#                             parse again to the same output (round trip)
#   testsuite/parse-ko/*.stp  `stap -p1` must fail without crashing or
#                             hanging and print a file:line:col diagnostic,
#                             quoting the script's source line whole (the
#                             lexer scans the text in place)
# A script's first line "#! stap -p1 [OPTS] [ARGS: a b ...]" gives options
# and command-line arguments.  Every Nth script (VALGRIND_EVERY, default 6;
# 1 = all, 0 = none) also runs under valgrind: no memory errors and no leak
# from the parser.  Prints PASS:/FAIL: lines.
STAP=${STAP:-./stap}
EVERY=${VALGRIND_EVERY:-6}
command -v valgrind >/dev/null 2>&1 || EVERY=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# opts and args from the header line
header() {
	hdr=$(head -1 "$1")
	opts="" args=""
	case "$hdr" in
	"#! stap"*)
		rest=${hdr#"#! stap"}
		case "$rest" in
		*ARGS:*) opts=${rest%%ARGS:*}; args=${rest#*ARGS:} ;;
		*) opts=$rest ;;
		esac ;;
	esac
	opts=$(echo "$opts" | sed 's/-p[0-9]//')
}

# run stap -p1; sets rc, output in $tmp/out, $tmp/err
run() {
	# shellcheck disable=SC2086
	timeout 20 "$STAP" -p1 $opts "$@" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

grind() {
	# shellcheck disable=SC2086
	timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$STAP" -p1 $opts "$1" $args \
		>/dev/null 2>"$tmp/vg"
	if grep -q -E "Invalid|uninitialised|Mismatched|by 0x.*\((parse|build|pp|print|release|grammar|lexer|library|pwork|arena)\." "$tmp/vg"; then
		echo "FAIL: parse-valgrind/$2"
		sed 's/^/    /' "$tmp/vg" | head -20
	else
		echo "PASS: parse-valgrind/$2"
	fi
}

# every diagnostic about script $1 in $2 is followed by its source line, whole
quotes_ok() {
	awk -v f="$1" '
		FNR == NR { src[FNR] = $0; next }
		check { if ($0 != "    " want) bad = 1; check = 0 }
		index($0, f ":") == 1 {
			split(substr($0, length(f) + 2), a, ":")
			if ((a[1] + 0) in src) { want = src[a[1] + 0]; check = 1 }
		}
		END { exit bad }
	' "$1" "$2"
}

n=0
for f in testsuite/parse-ok/*.stp; do
	name=parse-ok/$(basename "$f" .stp)
	header "$f"
	run "$f"
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name (exit $rc)"
		sed 's/^/    /' "$tmp/err" | head -10
		continue
	fi
	grep -v '^# file ' "$tmp/out" >"$tmp/first.stp"
	args_saved=$args
	args=""
	run "$tmp/first.stp"
	args=$args_saved
	grep -v '^# file ' "$tmp/out" >"$tmp/second"
	if [ $rc -ne 0 ] || ! cmp -s "$tmp/first.stp" "$tmp/second"; then
		echo "FAIL: $name (round trip)"
		sed 's/^/    /' "$tmp/err" | head -5
		diff "$tmp/first.stp" "$tmp/second" | head -10 | sed 's/^/    /'
		continue
	fi
	echo "PASS: $name"
	n=$((n + 1))
	[ "$EVERY" -gt 0 ] && [ $((n % EVERY)) -eq 0 ] && grind "$f" "$name"
done

for f in testsuite/parse-ko/*.stp; do
	name=parse-ko/$(basename "$f" .stp)
	header "$f"
	run "$f"
	if [ $rc -eq 0 ]; then
		echo "FAIL: $name (accepted)"
	elif [ $rc -ge 124 ]; then
		echo "FAIL: $name (crash or hang, exit $rc)"
	elif ! grep -q -E "^[^ ]+:[0-9]+:[0-9]+: " "$tmp/err"; then
		echo "FAIL: $name (no file:line:col diagnostic)"
		sed 's/^/    /' "$tmp/err" | head -5
	elif ! quotes_ok "$f" "$tmp/err"; then
		echo "FAIL: $name (source line not quoted whole)"
		sed 's/^/    /' "$tmp/err" | head -6
	else
		echo "PASS: $name"
		n=$((n + 1))
		[ "$EVERY" -gt 0 ] && [ $((n % EVERY)) -eq 0 ] && grind "$f" "$name"
	fi
done
exit 0
