#!/usr/bin/env bash
# 0070-time-lag: a group's lag in time on the lab. ksight watches (-i 1)
# while a producer writes 20 messages a second to a new topic; the group's
# committed offset is set (kafka-consumer-groups --reset-offsets) to a
# message written a few seconds in; the group view's "time lag" must be now
# minus that message's own timestamp (read back with kcat), within 2.5 s,
# and exact (no "≥"). The groups list shows the same in TIME LAG. Skips
# (77) without the lab, kcat or the Python venv.
. "$(dirname "$0")/lib.sh"
require_tools
require_lab_python
command -v kcat >/dev/null || skip "kcat is not installed"

ID="e2e$$"
TOPIC="$ID-tl"
GROUP="$ID-tl"
K=60 # the committed offset: written about 3 s after the producer started

"$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC" \
    --partitions 1 --replication-factor 1 >>"$E2E_TMP/tools.log" 2>&1 || fail "cannot create $TOPIC"
start_ksight -b "$BOOTSTRAP" -i 1
wait_for "Brokers" 15
sleep 2 # ksight has seen the topic's log end before the first message
BOOTSTRAP=$BOOTSTRAP "$PY" "$REPO/tests/integration/lib/tail_kafka.py" steady "$TOPIC" 20 60 \
    >>"$E2E_TMP/producer.log" 2>&1 &
PIDS+=($!)
sleep 6
"$LAB" tool kafka-consumer-groups --bootstrap-server "$BOOTSTRAP" --group "$GROUP" \
    --topic "$TOPIC:0" --reset-offsets --to-offset "$K" --execute >>"$E2E_TMP/tools.log" 2>&1 ||
    fail "cannot set the group's offset"
ts_k=$(kcat -b "$BOOTSTRAP" -C -t "$TOPIC" -p 0 -o "$K" -c 1 -e -q -f '%T\n' 2>/dev/null)
[[ $ts_k =~ ^[0-9]+$ ]] || fail "kcat gave no timestamp for offset $K: '$ts_k'"
log "message $K was written at $ts_k"

keys :
type_text "group $GROUP"
keys Enter
wait_for "▸ $GROUP" 10
wait_regex "time lag [0-9]" 20

# ms_of AGE: fmt_age's "850ms", "42s", "3m05s" in ms
ms_of() {
    python3 -c '
import re, sys
m = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?", sys.argv[1])
print(-1 if not m else int(m.group(1) or 0) * 60000 + int(m.group(2) or 0) * 1000 + int(m.group(3) or 0))' "$1"
}
check_once() {
    local shown now got want diff
    shown=$(screen_text | grep -m1 -oE "time lag [^ ]+" | awk '{print $3}')
    now=$(date +%s%3N)
    [[ $shown == *"≥"* || $shown == ">="* ]] && fail "time lag is only a lower bound: $shown"
    got=$(ms_of "$shown")
    want=$((now - ts_k))
    diff=$((got > want ? got - want : want - got))
    log "time lag shown $shown ($got ms), message $K's age $want ms: off by $diff ms"
    ((got >= 0 && diff <= 2500)) || fail "time lag $shown is not the age of message $K ($want ms)"
}
check_once
sleep 5 # the group does not move: its oldest unconsumed message keeps ageing
check_once
capture time-lag
# the groups list shows it too, in its TIME LAG column
keys 3
wait_for "TIME LAG" 5
keys / ; type_text "$GROUP"; keys Enter
wait_regex "$GROUP .* [0-9]+(s|ms|m[0-9]+s)( |$)" 10
quit_and_check
pass
