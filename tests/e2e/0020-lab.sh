#!/usr/bin/env bash
# 0020-lab: ksight against the lab (lab/lab.sh up): topics created here appear
# with their partition counts, a group's lag equals `ksight snapshot --json`,
# the ZooKeeper leader is shown, stopping broker 2 puts "broker down" / "ISR
# shrank" on the timeline, help, resize, q. Skips (77) when the lab is not up.
. "$(dirname "$0")/lib.sh"
require_tools
LAB="$REPO/lab/lab.sh"
[[ -x $LAB ]] || skip "no lab/lab.sh"
"$LAB" status >/dev/null 2>&1 || skip "the lab is not up (run: lab/lab.sh up)"
command -v python3 >/dev/null || skip "python3 is needed to read snapshot --json"
eval "$("$LAB" env)"
[[ -n ${BOOTSTRAP:-} ]] || skip "lab/lab.sh env gave no BOOTSTRAP"

ID="e2e$$"
TOPIC_A="$ID-a"
TOPIC_B="$ID-b"
GROUP="$ID-readers"
tool() { "$LAB" tool "$@" >>"$E2E_TMP/tools.log" 2>&1 || fail "lab tool $1 failed (see below)"; }
# whatever happens, leave the lab as it was: broker 2 running, test topics gone
lab_cleanup() {
    "$LAB" start-broker 2 >/dev/null 2>&1
    "$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --delete --topic "$ID-.*" \
        >/dev/null 2>&1
    "$LAB" tool kafka-consumer-groups --bootstrap-server "$BOOTSTRAP" --delete --group "$GROUP" \
        >/dev/null 2>&1
    e2e_cleanup
}
trap lab_cleanup EXIT

log "creating topics $TOPIC_A (6 partitions) and $TOPIC_B (2 partitions)"
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC_A" --partitions 6 \
    --replication-factor 3
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC_B" --partitions 2 \
    --replication-factor 2
log "producing 120 messages, consuming 50 with group $GROUP"
seq 1 120 | "$LAB" tool kafka-console-producer --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC_A" \
    >>"$E2E_TMP/tools.log" 2>&1 || fail "producer failed"
tool kafka-console-consumer --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC_A" --group "$GROUP" \
    --from-beginning --max-messages 50 --timeout-ms 30000

args=(-b "$BOOTSTRAP" -i 1)
[[ -n ${ZOOKEEPER:-} ]] && args+=(--zookeeper "$ZOOKEEPER")
[[ -n ${REGISTRY:-} ]] && args+=(--registry "$REGISTRY")
start_ksight "${args[@]}"
wait_for "connected" 30
wait_for "HOST:PORT"

# ---- topics with their partition counts
keys 2
keys /
type_text "$ID"
keys Enter
wait_for "$TOPIC_A" 30
wait_for "$TOPIC_B" 30
line_with "$TOPIC_A" | grep -qE "$TOPIC_A +6 +3 " || fail "$TOPIC_A should show 6 partitions, RF 3"
line_with "$TOPIC_B" | grep -qE "$TOPIC_B +2 +2 " || fail "$TOPIC_B should show 2 partitions, RF 2"
line_with "$TOPIC_A" | grep -qE " 120( |$)" || fail "$TOPIC_A should hold 120 messages"
capture lab-topics

# ---- a group's lag equals ksight snapshot --json
# the dashboard is under test here, not snapshot's own leaks (ASan builds)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
    "$KSIGHT_BIN" -b "$BOOTSTRAP" snapshot --json >"$E2E_TMP/snap.json" 2>"$E2E_TMP/snap.err" ||
    fail "ksight snapshot --json failed: $(cat "$E2E_TMP/snap.err")"
want=$(python3 - "$E2E_TMP/snap.json" "$GROUP" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
for g in snap["groups"]:
    if g["group"] == sys.argv[2]:
        print(g["lag"] if g["lag"] is not None else "-")
        break
else:
    print("missing")
PY
)
[[ $want =~ ^[0-9]+$ ]] || fail "snapshot --json has no lag for $GROUP: $want"
log "snapshot --json says lag $want (120 produced, 50 consumed)"
keys :
type_text "group $GROUP"
keys Enter
wait_for "COMMITTED" 10
wait_regex "lag $want( |$)" 30
capture lab-group

# ---- the ZooKeeper leader
if [[ -n ${ZOOKEEPER:-} ]]; then
    leader=$(python3 - "$E2E_TMP/snap.json" <<'PY'
import json, sys
zk = json.load(open(sys.argv[1])).get("zookeeper") or {}
print(next((s["address"] for s in zk.get("servers", []) if s["mode"] == "leader"), ""))
PY
)
    keys 4
    wait_for "leads" 30
    if [[ -n $leader ]]; then
        wait_for "$leader leads" 30
        line_with "$leader " | grep -q "leader" || fail "$leader should be shown as leader"
    fi
    capture lab-zookeeper
else
    keys 4
    wait_for "No ZooKeeper configured"
fi

# ---- a timeline entry when broker 2 stops (and it comes back)
# the lab takes a lock per operation: another user of the lab may hold it a moment
restart_broker() {
    local try
    for try in 1 2 3; do
        "$LAB" start-broker 2 >>"$E2E_TMP/tools.log" 2>&1 && return 0
        sleep 5
    done
    tail -5 "$E2E_TMP/tools.log"
    return 1
}
keys 6
wait_for "DETAIL"
log "stopping broker 2"
"$LAB" stop-broker 2 >>"$E2E_TMP/tools.log" 2>&1 || fail "lab.sh stop-broker 2 failed"
wait_regex "broker-down|isr-shrank" 90
assert_screen "broker 2"
capture lab-timeline
log "starting broker 2"
restart_broker || fail "lab.sh start-broker 2 failed"
wait_regex "broker-up|isr-expand" 120

# ---- help, resize, quit
keys '?'
wait_for "WHAT IT DOES"
assert_screen "quit"
keys Escape
resize 60 15
wait_for "1 Brokers 2 Topics"
resize 120 40
wait_for "ksight  1 Brokers"

quit_and_check
pass
