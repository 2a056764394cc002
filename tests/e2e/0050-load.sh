#!/usr/bin/env bash
# 0050-load: the load view against the lab: :load, settings through the form
# (JSON, 1 producer, 2 consumers, keyed), S starts after y, counters move, a
# added consumer changes the assignment on screen, x stops. Skips (77)
# without the lab.
. "$(dirname "$0")/lib.sh"
require_tools
LAB="$REPO/lab/lab.sh"
[[ -x $LAB ]] || skip "no lab/lab.sh"
"$LAB" status >/dev/null 2>&1 || skip "the lab is not up (run: lab/lab.sh up)"
eval "$("$LAB" env)"
[[ -n ${BOOTSTRAP:-} ]] || skip "lab/lab.sh env gave no BOOTSTRAP"

TOPIC="e2e$$-load"
lab_cleanup() {
    "$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --delete --topic "$TOPIC" \
        >/dev/null 2>&1
    e2e_cleanup
}
trap lab_cleanup EXIT

# ---- read-only refuses the start
start_ksight -b "$BOOTSTRAP" --read-only
wait_for "Brokers" 15
keys :
type_text "load"
keys Enter
wait_for "settings of the next run" 10
keys S
wait_for "refused" 5
quit_and_check

start_ksight -b "$BOOTSTRAP"
wait_for "Brokers" 15
keys 7
wait_for "settings of the next run" 10
keys c
wait_for ":load-set topic=" 5
for _ in $(seq 1 200); do keys BSpace; done
keys :
type_text "load-set topic=$TOPIC;format=json;producers=1;consumers=2;interval_ms=20;couriers=10;partitions=3"
keys Enter
wait_for "settings changed" 5
wait_for "topic $TOPIC  partitions 3" 5
assert_screen "consumers 2"
keys S
wait_for "? [y/N]" 5
keys y
wait_for "starting a load run" 5
wait_regex "run [^ ]+  running" 60
wait_regex "sent [1-9][0-9]*  acked [1-9]" 30
wait_regex "read [1-9][0-9]* " 60
# two members share three partitions
wait_regex "^1 +running +[0-9]" 60
wait_regex "^0 +running +[0-9]" 60
a1=$(screen_text | grep -E '^0 +running' | awk '{print $3}')
log "member 0 had $a1"
capture load
keys a
wait_for "add a consumer to the group? [y/N]" 5
keys y
wait_regex "^2 +running +[0-9]" 60
# after the rebalance each of three members owns one partition
for _ in $(seq 1 300); do
    n=$(screen_text | grep -cE '^[0-2] +running +[0-2] ')
    [[ $n == 3 ]] && break
    sleep 0.2
done
[[ $n == 3 ]] || fail "three members do not own one partition each"
wait_regex "member 2 joined|joined" 10
capture load-added
keys x
wait_regex "stopping|done" 30
wait_regex "run [^ ]+  done" 60
capture load-stopped
quit_and_check
pass
