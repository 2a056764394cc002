#!/usr/bin/env bash
# 0005: bad input gets one clear line and a non-zero exit, quickly; no lab needed.
source "$(dirname "$0")/lib.sh"

# an unreachable bootstrap: refused connections, reported in about a second
t0=$(date +%s%N)
if "$KSIGHT" -b 127.0.0.1:1 snapshot >"$WORK/out" 2>"$WORK/err"; then fail "snapshot of a dead cluster exited 0"; fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
say "unreachable bootstrap: exit non-zero in ${ms} ms: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "expected exactly one line on stderr"
grep -q "cannot reach the cluster at 127.0.0.1:1" "$WORK/err" || fail "message does not name the bootstrap"
[ "$ms" -lt 5000 ] || fail "took ${ms} ms (expected a quick failure)"
[ ! -s "$WORK/out" ] || fail "printed tables for a cluster that did not answer"

# --json still prints the document, with the error in it
"$KSIGHT" -b 127.0.0.1:1 snapshot --json >"$WORK/out.json" 2>/dev/null && fail "exit 0 with --json"
jget "$WORK/out.json" 'd["errors"][0]["source"]' | grep -qx kafka || fail "errors[] lacks the kafka source"

# a garbage -F line is named by file and line
printf 'bootstrap.servers=127.0.0.1:9092\n# comment\nthis is not a property\n' >"$WORK/client.properties"
if "$KSIGHT" -F "$WORK/client.properties" -b 127.0.0.1:1 snapshot 2>"$WORK/err"; then fail "bad -F accepted"; fi
say "bad -F: $(cat "$WORK/err")"
grep -q "client.properties:3: expected property=value" "$WORK/err" || fail "-F error does not name line 3"

# an unknown librdkafka property is refused with librdkafka's own reason
rc=0; "$KSIGHT" -b 127.0.0.1:1 -X no.such.property=1 snapshot 2>"$WORK/err" || rc=$?
say "bad -X: $(cat "$WORK/err")"
[ "$rc" -eq 2 ] || fail "unknown -X: rc=$rc (expected 2)"
grep -q "no.such.property" "$WORK/err" || fail "-X error does not name the property"

# unknown options and commands: one line, exit 2
rc=0; "$KSIGHT" --no-such-option 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "unknown option: rc=$rc, $(cat "$WORK/err")"
rc=0; "$KSIGHT" -b x frobnicate 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] || fail "unknown command: rc=$rc"
"$KSIGHT" --version | grep -q '^ksight [0-9]' || fail "--version"
"$KSIGHT" --help | grep -q 'snapshot \[--json\]' || fail "--help"
exit 0
