#!/usr/bin/env bash
# 0060-rebalances: the group view's rebalances (R) for an *external* group on
# the lab: two Python consumers join, then one leaves; the screen shows a
# record per change with the coordinator's generation (from __consumer_offsets,
# a number, not "obs"), the member counts and "left". Skips (77) without the
# lab or the Python venv.
. "$(dirname "$0")/lib.sh"
require_tools
require_lab_python

ID="e2e$$"
TOPIC="$ID-reb"
GROUP="$ID-reb"
member() {
    "$PY" "$REPO/tests/integration/lib/group_member.py" "$BOOTSTRAP" "$GROUP" "$TOPIC" "$1" \
        >>"$E2E_TMP/members.log" 2>&1 &
    PIDS+=($!)
}

"$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC" \
    --partitions 6 --replication-factor 2 >>"$E2E_TMP/tools.log" 2>&1 || fail "cannot create $TOPIC"
start_ksight -b "$BOOTSTRAP" -i 1
wait_for "Brokers" 15
member m-a
sleep 3 # the group exists and is stable before the view opens
keys 3
wait_for "$GROUP" 20
keys / ; type_text "$GROUP"; keys Enter
keys Enter
wait_for "Groups ▸ $GROUP" 5
keys R
wait_for "GEN START" 5
member m-b
# a record 1->2 with a numeric generation in GEN
wait_regex "^ +[0-9]+ +[0-9]+ +[0-9-]+ [0-9:]+ +[0-9.]+s +1->2" 30
kill -TERM "${PIDS[1]}"
wait_regex "^ +[0-9]+ +[0-9]+ +[0-9-]+ [0-9:]+ +[0-9.]+s +2->1" 30
assert_screen "left"
refute_screen " obs "
line=$(screen_text | grep -E "^ +[0-9]+ +[0-9]+ +[0-9-]+ [0-9:]+ +[0-9.]+s +2->1" | head -1)
log "newest record: $(echo "$line" | tr -s ' ')"
assert_screen "generation "
capture rebalances
quit_and_check
pass
