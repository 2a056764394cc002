#!/usr/bin/env bash
# 0400: Avro through the registry. An independent client (Python's
# confluent-kafka with its AvroSerializer and SchemaRegistryClient) registers
# the workbook's Courier schema under <topic>-value and produces records;
# `ksight tail --format jsonl --from beginning --until-end` must give back
# exactly those records (values field by field, doubles bit for bit, the
# timestamp-millis field as ISO-8601 UTC with milliseconds, the decoders'
# documented rendering), the schema id, keys, partitions, offsets and
# timestamps. Then --count, --partition, --from -N, --from @ms and the text
# format on the same topic.
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/integration/lib/pyenv.sh"
lab_env
export BOOTSTRAP REGISTRY
pyenv_ensure || skip "no Python venv with confluent-kafka (PyPI unreachable?)"
PYK=("$PY" "$ROOT/tests/integration/lib/tail_kafka.py")

T=position-$RUN_ID
N=300
"${PYK[@]}" create "$T" 3 2
trap '"${PYK[@]}" delete "$T" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
id=$("${PYK[@]}" avro "$T" "$N" "$WORK/sent.jsonl")
say "produced $N Courier records to $T with confluent-kafka's AvroSerializer (schema id $id, subject $T-value)"

ks tail "$T" --format jsonl --from beginning --until-end >"$WORK/got.jsonl" 2>"$WORK/err.txt" ||
    fail "ksight tail exited $? ($(head -3 "$WORK/err.txt"))"
[ "$(wc -l <"$WORK/got.jsonl")" -eq "$N" ] || fail "expected $N lines, got $(wc -l <"$WORK/got.jsonl")"
[ ! -s "$WORK/err.txt" ] || fail "unexpected stderr: $(head -3 "$WORK/err.txt")"
"${PYK[@]}" compare "$WORK/sent.jsonl" "$WORK/got.jsonl" || fail "records differ from what was sent"
grep -q "\"schema_id\":$id," "$WORK/got.jsonl" || fail "schema id $id not reported"

# --count stops early with status 0
ks tail "$T" --from beginning --count 7 >"$WORK/count.jsonl" || fail "--count exited $?"
[ "$(wc -l <"$WORK/count.jsonl")" -eq 7 ] || fail "--count 7 printed $(wc -l <"$WORK/count.jsonl") lines"
"${PYK[@]}" compare "$WORK/sent.jsonl" "$WORK/count.jsonl" --subset >/dev/null || fail "--count records differ"
say "--count 7: 7 records"

# --partition and --from -N (last N per partition)
ks tail "$T" --partition 1 --from beginning --until-end >"$WORK/p1.jsonl" || fail "--partition exited $?"
want=$(grep -c '"partition": 1,' "$WORK/sent.jsonl")
[ "$(wc -l <"$WORK/p1.jsonl")" -eq "$want" ] || fail "--partition 1: $(wc -l <"$WORK/p1.jsonl") lines, want $want"
grep -qv '"partition":1,' "$WORK/p1.jsonl" && fail "--partition 1 printed another partition"
ks tail "$T" --from -5 --until-end >"$WORK/last.jsonl" || fail "--from -5 exited $?"
[ "$(wc -l <"$WORK/last.jsonl")" -eq 15 ] || fail "--from -5 on 3 partitions: $(wc -l <"$WORK/last.jsonl") lines, want 15"
"${PYK[@]}" compare "$WORK/sent.jsonl" "$WORK/last.jsonl" --subset >/dev/null || fail "--from -5 records differ"
python3 - "$WORK/sent.jsonl" "$WORK/last.jsonl" <<'PY' || fail "--from -5 did not give the last 5 of each partition"
import json, sys
sent = [json.loads(l) for l in open(sys.argv[1])]
got = {(r["partition"], r["offset"]) for r in map(json.loads, open(sys.argv[2]))}
for p in {r["partition"] for r in sent}:
    offs = sorted(r["offset"] for r in sent if r["partition"] == p)
    assert {(p, o) for o in offs[-5:]} <= got, p
PY
say "--partition 1: $want records; --from -5: the last 5 of each partition"

# --from @ms: every message produced at or after the timestamp of the 200th
ts=$(python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(r[199]['timestamp'])" "$WORK/sent.jsonl")
want=$(python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)['timestamp'] >= $ts))" "$WORK/sent.jsonl")
ks tail "$T" --from "@$ts" --until-end >"$WORK/ts.jsonl" || fail "--from @ts exited $?"
[ "$(wc -l <"$WORK/ts.jsonl")" -eq "$want" ] || fail "--from @$ts: $(wc -l <"$WORK/ts.jsonl") lines, want $want"
ks tail "$T" --from -1d --until-end --count 1000 >"$WORK/ago.jsonl" || fail "--from -1d exited $?"
[ "$(wc -l <"$WORK/ago.jsonl")" -eq "$N" ] || fail "--from -1d: $(wc -l <"$WORK/ago.jsonl") lines, want $N"
say "--from @$ts: $want records; --from -1d: all $N"

# text: one sanitized line per message
ks tail "$T" --from beginning --until-end --format text >"$WORK/got.txt" || fail "--format text exited $?"
[ "$(wc -l <"$WORK/got.txt")" -eq "$N" ] || fail "text: $(wc -l <"$WORK/got.txt") lines"
grep -q $'\x1b' "$WORK/got.txt" && fail "text output holds a raw ESC"
grep -qE '^[0-9]+	[0-9]+	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z	c[0-9]+	\{"id":"c[0-9]+","position":\{"lat":' "$WORK/got.txt" ||
    fail "text lines do not look like: partition offset time key value ($(head -1 "$WORK/got.txt"))"
say "--format text: $N lines"

# | head: a closed pipe ends the tail quietly
rc=0
ks tail "$T" --from beginning 2>"$WORK/pipe.err" | head -2 >/dev/null || rc=$?
[ ! -s "$WORK/pipe.err" ] || fail "writing to a closed pipe printed: $(head -2 "$WORK/pipe.err")"
say "| head -2: quiet"
exit 0
