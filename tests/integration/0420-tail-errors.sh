#!/usr/bin/env bash
# 0420: `ksight tail` when things go wrong. Fails fast with one clear stderr
# line on an unknown topic (1), an unreachable cluster (1) and bad arguments
# (2). Shows an Avro value whose schema id the registry does not know, and
# every Avro value while the registry is down, as hex with the reason (per
# row in --format text, once per reason on stderr in jsonl), never crashing.
#
# The registry-down part stops the lab's registry, so it holds the lab's
# exclusive lock from then on (lab_exclusive; tests/run already holds it);
# run by hand, do not wrap this scenario in `flock -s`. KSIGHT_IT_NO_STOP=1
# skips that part (a dead registry URL is always tested).
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/integration/lib/pyenv.sh"
lab_env
export BOOTSTRAP REGISTRY
pyenv_ensure || skip "no Python venv with confluent-kafka (PyPI unreachable?)"
PYK=("$PY" "$ROOT/tests/integration/lib/tail_kafka.py")

# expect_fail STATUS PATTERN CMD...: CMD exits STATUS within 5 s, prints
# nothing on stdout and exactly one stderr line matching PATTERN.
expect_fail() {
    local want=$1 pattern=$2 rc=0 t0 dt; shift 2
    t0=$(date +%s%N)
    "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    dt=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$rc" -eq "$want" ] || fail "$* exited $rc, want $want ($(head -2 "$WORK/err"))"
    [ ! -s "$WORK/out" ] || fail "$* printed on stdout: $(head -2 "$WORK/out")"
    [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "$* printed $(wc -l <"$WORK/err") stderr lines: $(head -3 "$WORK/err")"
    grep -qE -e "$pattern" "$WORK/err" || fail "$*: stderr \"$(cat "$WORK/err")\" does not match /$pattern/"
    [ "$dt" -lt 5000 ] || fail "$* took $dt ms"
    say "exit $rc in $dt ms: $(cat "$WORK/err")"
}

expect_fail 1 'topic "no-such-topic-[0-9]+" does not exist' ks tail "no-such-topic-$RUN_ID" --from beginning
expect_fail 1 'cannot reach the cluster at 127.0.0.1:1: all brokers are down' \
    "$KSIGHT" -b 127.0.0.1:1 tail t --from beginning
expect_fail 2 'which topic' ks tail
expect_fail 2 '--from "bla": expected beginning, end' ks tail t --from bla
expect_fail 2 '--count: expected a number >= 1' ks tail t --count 0
expect_fail 2 '--format: expected jsonl or text' ks tail t --format xml
expect_fail 2 '--value-format: expected auto, avro' ks tail t --value-format xml
expect_fail 2 'unknown option --nope' ks tail t --nope
expect_fail 2 'one topic only' ks tail a b

T=errors-$RUN_ID
"${PYK[@]}" create "$T" 1 1
trap '"${PYK[@]}" delete "$T" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
expect_fail 1 "topic \"$T\" has no partition 5" ks tail "$T" --partition 5

# Avro records, then one framed value with an id the registry never gave
"${PYK[@]}" avro "$T" 5 "$WORK/sent.jsonl" >"$WORK/id"
"${PYK[@]}" raw "$T" 003ade68b1020304 6b6579   # 0x00 + id 987654321 + 3 bytes, key "key"
ks tail "$T" --from beginning --until-end >"$WORK/got.jsonl" 2>"$WORK/err.txt" || fail "tail exited $?"
[ "$(wc -l <"$WORK/got.jsonl")" -eq 6 ] || fail "expected 6 records, got $(wc -l <"$WORK/got.jsonl")"
[ "$(grep -c '"value_format":"avro"' "$WORK/got.jsonl")" -eq 5 ] || fail "the 5 Avro records are not all decoded"
grep -q '"offset":5,.*"value":{"hex":"003ade68b1020304"},"key_format":"text","value_format":"binary","schema_id":987654321' \
    "$WORK/got.jsonl" || fail "the bad schema id is not shown as hex with its id: $(tail -1 "$WORK/got.jsonl")"
grep -q 'offset 5: value shown raw: schema id 987654321 not found in the registry (HTTP 404' "$WORK/err.txt" ||
    fail "no clear reason for the bad schema id on stderr: $(cat "$WORK/err.txt")"
ks tail "$T" --from beginning --until-end --format text >"$WORK/got.txt" || fail "text exited $?"
grep -q '	003ade68b1020304	\[value: schema id 987654321 not found in the registry' "$WORK/got.txt" ||
    fail "text line without the reason: $(tail -1 "$WORK/got.txt")"
say "bad schema id: hex, schema_id 987654321, reason \"$(sed 's/.*shown raw: //' "$WORK/err.txt" | head -1)\""

# a registry nobody answers at: every framed value raw, one reason
dead=http://127.0.0.1:1/apis/ccompat/v7
"$KSIGHT" -b "$BOOTSTRAP" --registry "$dead" tail "$T" --from beginning --until-end \
    >"$WORK/dead.jsonl" 2>"$WORK/dead.err" || fail "tail with a dead registry exited $?"
[ "$(grep -c '"value_format":"binary"' "$WORK/dead.jsonl")" -eq 6 ] || fail "with a dead registry, values are not all raw"
grep -q 'registry unreachable: .*127.0.0.1:1' "$WORK/dead.err" || fail "no reason for the dead registry: $(cat "$WORK/dead.err")"
grep -q '6 keys or values were shown raw' "$WORK/dead.err" || fail "no summary line: $(cat "$WORK/dead.err")"
"$KSIGHT" -b "$BOOTSTRAP" --registry "$dead" tail "$T" --from beginning --until-end --format text \
    >"$WORK/dead.txt" || fail "text with a dead registry exited $?"
[ "$(grep -c '\[value: schema id [0-9]*: registry unreachable' "$WORK/dead.txt")" -eq 6 ] ||
    fail "text lines without the reason: $(head -2 "$WORK/dead.txt")"
say "dead registry URL: 6 rows raw, \"$(head -1 "$WORK/dead.err" | sed 's/.*shown raw: //')\""

# the lab's registry stopped: the lab is ours from here on (lab_exclusive)
if [ -n "${KSIGHT_IT_NO_STOP:-}" ]; then
    say "KSIGHT_IT_NO_STOP set: the lab's registry is not stopped"
    exit 0
fi
lab_exclusive
trap '"$LAB" start-registry >/dev/null 2>&1 || true; "${PYK[@]}" delete "$T" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$LAB" stop-registry >/dev/null 2>&1 || fail "lab.sh stop-registry failed"
ks tail "$T" --from beginning --until-end --format text >"$WORK/down.txt" 2>"$WORK/down.err" ||
    fail "tail with the registry stopped exited $? ($(head -2 "$WORK/down.err"))"
ks tail "$T" --from beginning --until-end >"$WORK/down.jsonl" 2>>"$WORK/down.err" ||
    fail "tail (jsonl) with the registry stopped exited $?"
"$LAB" start-registry >/dev/null 2>&1 || fail "lab.sh start-registry failed"
[ "$(grep -c '\[value: schema id [0-9]*: registry unreachable: ' "$WORK/down.txt")" -eq 6 ] ||
    fail "registry down: text lines without the reason: $(head -2 "$WORK/down.txt")"
[ "$(grep -c '"value_format":"binary"' "$WORK/down.jsonl")" -eq 6 ] || fail "registry down: values not shown raw"
say "lab registry stopped: 6 rows raw, \"$(grep -m1 -o 'registry unreachable: [^]]*' "$WORK/down.txt")\"; started again"
curl -sf -o /dev/null --max-time 5 "$REGISTRY/subjects" || fail "the registry did not come back"
exit 0
