#!/usr/bin/env bash
# 0040-tail: the tail view against the lab: `t` on a topic tails it while
# messages arrive, Space pauses and resumes, `/` filters, Enter opens the
# detail pane, `e` exports a JSON Lines file, and a message whose key and
# value hold ESC sequences and control codes shows escaped (\x1b) in the row,
# the key column and the detail pane, the screen intact. Skips (77) without
# the lab or kcat.
. "$(dirname "$0")/lib.sh"
require_tools
LAB="$REPO/lab/lab.sh"
[[ -x $LAB ]] || skip "no lab/lab.sh"
"$LAB" status >/dev/null 2>&1 || skip "the lab is not up (run: lab/lab.sh up)"
command -v kcat >/dev/null || skip "kcat is needed to produce"
command -v python3 >/dev/null || skip "python3 is needed to read the export"
eval "$("$LAB" env)"
[[ -n ${BOOTSTRAP:-} ]] || skip "lab/lab.sh env gave no BOOTSTRAP"

TOPIC="e2e$$-tail"
lab_cleanup() {
    "$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --delete --topic "$TOPIC" \
        >/dev/null 2>&1
    e2e_cleanup
}
trap lab_cleanup EXIT
"$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC" \
    --partitions 2 --replication-factor 2 >"$E2E_TMP/tools.log" 2>&1 ||
    fail "cannot create $TOPIC"

# produce N JSON messages with keys cN, one partition each by key hash
produce() { # FIRST COUNT
    local i
    for ((i = $1; i < $1 + $2; i++)); do
        printf 'c%d\t{"id":"c%d","n":%d,"position":{"lat":%d}}\n' "$i" "$i" "$i" $((40 + i % 10))
    done | kcat -P -b "$BOOTSTRAP" -t "$TOPIC" -K $'\t' 2>>"$E2E_TMP/tools.log" ||
        fail "kcat failed"
}

start_ksight -b "$BOOTSTRAP"
wait_for "Brokers" 15
keys 2
wait_for "$TOPIC" 30
keys / && type_text "$TOPIC" && keys Enter
wait_for "1 topics" 10
keys t
wait_for "Topics ▸ $TOPIC" 10
wait_regex "running|waiting for messages" 20
produce 0 20
wait_for '"id":"c19"' 20
wait_for "scanned 20" 10
line_with '"id":"c19"' | grep -q "json" || fail "the c19 row lacks its json badge"
capture tail

# ---- live, then paused: nothing new shows, then everything does
keys Space
wait_regex "^paused  scanned" 10 # the service answered, not just the message line
produce 20 5
sleep 2
refute_screen '"id":"c24"'
keys Space
wait_for '"id":"c24"' 20
wait_for "scanned 25" 10

# ---- filter: only c7 and c17 have lat 47
keys /
wait_for ":tail-filter" 5
type_text "position.lat=47"
keys Enter
wait_for "filter: position.lat=47" 10
wait_for "matched 2" 10
assert_screen '"id":"c17"'
refute_screen '"id":"c19"'

# ---- detail pane of the selected (newest matching) row
keys Enter
wait_for "DETAIL" 5
wait_for "headers  0" 5
assert_screen '"lat": 47'
assert_screen "CreateTime"
capture tail-detail
keys Escape
wait_gone "DETAIL" 5

# ---- export the matching rows
keys e
wait_for ":tail-export" 5
keys C-u 2>/dev/null
# the prompt is prefilled: clear it with Backspaces and type our path
for _ in $(seq 1 80); do keys BSpace; done
wait_for "Topics" 5
keys :
type_text "tail-export $E2E_TMP/out.jsonl"
keys Enter
for _ in $(seq 1 50); do [[ -s $E2E_TMP/out.jsonl ]] && break; sleep 0.1; done
[[ -s $E2E_TMP/out.jsonl ]] || fail "no export file"
sleep 0.5
python3 - "$E2E_TMP/out.jsonl" "$TOPIC" <<'PY' || fail "the export is not the expected JSON Lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2, rows
assert sorted(r["value"]["id"] for r in rows) == ["c17", "c7"], rows
for r in rows:
    assert r["topic"] == sys.argv[2] and r["key"] in ("c7", "c17"), r
    assert r["value_format"] == "json", r
PY
log "export: $(wc -l <"$E2E_TMP/out.jsonl") rows"

# ---- clear the filter; a hostile message stays escaped everywhere
keys /
for _ in $(seq 1 40); do keys BSpace; done
keys :
type_text "tail-filter"
keys Enter
wait_gone "filter: position" 10
# control bytes make auto-detection call the message binary (hex): read it as text
keys :
type_text "tail-format text"
keys Enter
wait_for "key as text, value as text" 5
wait_for "key text, value text" 10
wait_regex "^running  scanned 0 " 20
sleep 1
printf 'evil\x1b[2J\x1b]0;pwned\x07\tval\x1b[2J\x1b]0;pwned\x07\x01end\n' |
    kcat -P -b "$BOOTSTRAP" -t "$TOPIC" -K $'\t' 2>>"$E2E_TMP/tools.log" || fail "kcat failed"
wait_for 'evil\x1b[2J' 20
line_with 'evil\x1b[2J' | grep -qF 'val\x1b[2J\x1b]0;pwned\x07\x01end' ||
    fail "the value column is not escaped"
assert_screen "Topics ▸ $TOPIC" # the screen was not cleared by ESC [2J
keys G Enter
wait_for "DETAIL" 5
screen_text | sed -n '/DETAIL/,$p' | grep -qF 'evil\x1b[2J\x1b]0;pwned\x07' ||
    fail "the detail pane's key is not escaped"
screen_text | sed -n '/DETAIL/,$p' | grep -qF 'val\x1b[2J' || fail "detail value not escaped"
capture tail-escaped
keys Escape
quit_and_check
pass
