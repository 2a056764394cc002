#!/usr/bin/env bash
# 0410: JSON values with string keys, text (terminal escapes included),
# binary, headers, null keys and tombstones, produced by an independent client
# (Python's confluent-kafka); `ksight tail --format jsonl --from beginning
# --until-end` must give each one back exactly: JSON decoded (numbers to the
# bit), text as the exact string, binary as {"hex": ...}, null as null,
# headers as [{"key", "value"}]. Then the text format (one sanitized line per
# message, no raw control byte) and forced formats.
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/integration/lib/pyenv.sh"
lab_env
export BOOTSTRAP REGISTRY
pyenv_ensure || skip "no Python venv with confluent-kafka (PyPI unreachable?)"
PYK=("$PY" "$ROOT/tests/integration/lib/tail_kafka.py")

T=mixed-$RUN_ID
"${PYK[@]}" create "$T" 3 2
trap '"${PYK[@]}" delete "$T" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"${PYK[@]}" mixed "$T" "$WORK/sent.jsonl"
N=$(wc -l <"$WORK/sent.jsonl")
say "produced $N messages to $T: JSON, text, binary, headers, null keys, tombstones"

ks tail "$T" --from beginning --until-end >"$WORK/got.jsonl" 2>"$WORK/err.txt" ||
    fail "ksight tail exited $? ($(head -3 "$WORK/err.txt"))"
"${PYK[@]}" compare "$WORK/sent.jsonl" "$WORK/got.jsonl" || fail "records differ from what was sent"
[ ! -s "$WORK/err.txt" ] || fail "unexpected stderr: $(head -3 "$WORK/err.txt")"
for f in json text binary null; do
    n=$(grep -c "\"value_format\":\"$f\"" "$WORK/got.jsonl" || true)
    [ "$n" -gt 0 ] || fail "no $f value in the output"
    say "value_format $f: $n"
done
grep -q '"key_format":"null"' "$WORK/got.jsonl" || fail "no null key"
grep -q $'\x1b' "$WORK/got.jsonl" && fail "jsonl output holds a raw ESC"

# text: one line per message, control characters escaped
ks tail "$T" --from beginning --until-end --format text >"$WORK/got.txt" || fail "--format text exited $?"
[ "$(wc -l <"$WORK/got.txt")" -eq "$N" ] || fail "text: $(wc -l <"$WORK/got.txt") lines, want $N"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/got.txt" && fail "text output holds a raw control byte"
grep -qF '\x1b[2J\x1b]0;pwned' "$WORK/got.txt" || fail "the escape sequence is not shown escaped"
grep -qF 'tab\tand\nnewline' "$WORK/got.txt" || fail "tab and newline are not shown escaped"
grep -qF '\u202eevil' "$WORK/got.txt" || fail "the bidi override is not shown escaped"
say "--format text: $N lines, escapes visible, no raw control byte"

# forced formats: JSON read as text is the raw string; anything as binary is hex
ks tail "$T" --partition 0 --from beginning --until-end --value-format text >"$WORK/astext.jsonl" ||
    fail "--value-format text exited $?"
grep -q '"value_format":"json"' "$WORK/astext.jsonl" && fail "--value-format text still decoded JSON"
python3 - "$WORK/astext.jsonl" <<'PY' || fail "--value-format text did not give JSON values as their text"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
js = [r for r in rows if isinstance(r["value"], str) and r["value"].startswith('{"')]
assert js and all(json.loads(r["value"]) is not None for r in js)
PY
ks tail "$T" --partition 0 --from beginning --until-end --value-format binary --key-format binary >"$WORK/ashex.jsonl" ||
    fail "--value-format binary exited $?"
python3 - "$WORK/sent.jsonl" "$WORK/ashex.jsonl" <<'PY' || fail "--value-format binary did not give hex"
import json, sys
for r in map(json.loads, open(sys.argv[2])):
    assert r["value_format"] in ("binary", "null"), r
    assert r["key_format"] in ("binary", "null"), r
    if r["value"] is not None:
        bytes.fromhex(r["value"]["hex"])
PY
say "--value-format text and binary: as asked"
exit 0
