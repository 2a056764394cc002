#!/usr/bin/env bash
# 0560: the generations ksight reads from the coordinator's log
# (__consumer_offsets) equal the ones the group's own members were given.
# `ksight load` runs a group going 1 -> 3 -> 2 members; its members read their
# generation from librdkafka's group metadata at each assignment (the load
# report's rebalances). `ksight rebalances --json` watches the same group as
# an outsider would: each of its records must carry the generation the
# members saw, not an observed number.
source "$(dirname "$0")/lib.sh"
lab_env

if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi

TOPIC=it-gen-$RUN_ID
GROUP=it-gen-$RUN_ID
cleanup() {
    if [ -n "${KS_PID:-}" ]; then kill "$KS_PID" 2>/dev/null || true; fi
    tool kafka-topics --bootstrap-server "$BOOTSTRAP" --delete --topic "$TOPIC" >/dev/null 2>&1 9>&- || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$KSIGHT" -b "$BOOTSTRAP" -i 1 rebalances --group "$GROUP" --json --duration 50 \
    >"$WORK/reb.jsonl" 2>"$WORK/reb.err" &
KS_PID=$!
sleep 2
ks load --topic "$TOPIC" --partitions 6 --producers 1 --messages 0 --interval-ms 20 \
    --consumers 1 --group "$GROUP" --consumers-schedule 1@0,3@8,2@18 --duration 30 --json \
    --report "$WORK/report.json" >"$WORK/load.json" 2>"$WORK/load.err" ||
    { sed 's/^/  load: /' "$WORK/load.err" | head; fail "ksight load failed"; }
# the group empties when the run ends: that record closes at the next polls
wait_for 20 python3 -c "
import json, sys
sys.exit(0 if any(json.loads(l)['members_after'] == 0 for l in open('$WORK/reb.jsonl')) else 1)" ||
    { sed 's/^/  out: /' "$WORK/reb.jsonl"; fail "no record of the group emptying"; }
kill "$KS_PID" 2>/dev/null || true
wait "$KS_PID" 2>/dev/null || true
KS_PID=

python3 - "$WORK/reb.jsonl" "$WORK/report.json" <<'PY' || fail "the generations differ"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
report = json.load(open(sys.argv[2]))
own = [r["generation"] for r in report["rebalances"] if r.get("generation") is not None]
seen = [r["generation"] for r in recs]
print("  members' own generations:      %s" % own)
print("  from the coordinator's log:    %s  (members after: %s)"
      % (seen, [r["members_after"] for r in recs]))
ok = True
if any(g is None for g in seen) or any(r["generation_observed"] for r in recs):
    print("  FAIL: a record without the coordinator's generation"); ok = False
if len(own) < 3:
    print("  FAIL: the load run reports %d generations, expected 3 (1, 3, 2 members)" % len(own)); ok = False
missing = [g for g in own if g not in seen]
if missing:
    print("  FAIL: generations the members had but ksight did not show: %s" % missing); ok = False
empty = [r for r in recs if r["members_after"] == 0]
if empty and own and empty[-1]["generation"] <= max(own):
    print("  FAIL: the group emptied at generation %s, not after %s" % (empty[-1]["generation"], max(own))); ok = False
sys.exit(0 if ok else 1)
PY
say "every generation the members were given is in ksight's records"
