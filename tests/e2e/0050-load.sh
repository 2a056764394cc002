#!/usr/bin/env bash
# 0050-load: the load view. On the demo's in-process mock cluster (always):
# the settings form driven with keys (Space cycles, h/l step, Enter edits in
# the prompt, a refused value keeps the old one), S starts after y, counters,
# the courier map and a sparkline move, a added consumer shows in the member
# table, small terminals stay usable, x stops. Against the lab (skipped
# without it): :load-set (JSON, 1 producer, 2 consumers, keyed), the read-only
# refusal, an added consumer changes the assignment on screen, K kills one
# (the group rebalances after its session), d removes one; x stops the
# producers, the group drains to an audit of lost 0, x again ends the run.
. "$(dirname "$0")/lib.sh"
require_tools

# three_members_one_partition_each SECONDS: members 0-2 each running with one
# partition of three, within SECONDS
three_members_one_partition_each() {
    local i n
    for i in $(seq 1 $(($1 * 5))); do
        n=$(screen_text | grep -cE '^[0-2] +running +[0-2] ')
        [[ $n == 3 ]] && return 0
        sleep 0.2
    done
    return 1
}

# stop_and_audit: x stops the producers while members read, the group drains
# and the audit turns into a verdict (lost 0), then x again ends the run
stop_and_audit() {
    keys x
    wait_regex "run [^ ]+  (draining|done)" 30
    if screen_text | grep -qE "run [^ ]+  draining"; then
        wait_regex "run [^ ]+  draining .* drained" 90
        wait_regex "^  audit    lost 0  duplicates 0 " 10
        log "drained: $(screen_text | grep -m1 '^  audit ')"
        keys x
    fi
    wait_regex "run [^ ]+  done" 60
    log "stopped: $(screen_text | grep -m1 '^  audit ')"
    refute_screen "REBALANCING"
}

# ---- demo: the form and the live sections, no lab needed
start_ksight --demo
wait_for "Brokers" 15
keys 7
wait_for "settings of the next run" 10
wait_regex "format +json +" 5
# Space cycles an enum field: format is the fourth field
keys g j j j Space
wait_for "format avro" 5
wait_regex "format +avro +" 5
keys Space
wait_for "format json" 5
# Enter edits a field in the prompt, prefilled with its value
keys g j j j j j j j Enter
wait_for ":load-set messages=1000" 5
for _ in 1 2 3 4; do keys BSpace; done
type_text "0"
keys Enter
wait_for "messages unlimited" 5
wait_regex "messages +unlimited" 5
# a value the parser refuses changes nothing, and Enter brings it back
keys g j Enter
wait_for ":load-set partitions=3" 5
type_text "x"
keys Enter
wait_for 'partitions: bad value "3x"' 5
assert_screen "topic position  partitions 3"
keys Enter
wait_for ":load-set partitions=3x" 5
keys Escape
# l steps a number: one more consumer; the checker guards cross-field rules
keys G k k k k k k k k l
wait_for "consumers 2" 5
keys g
for _ in $(seq 1 11); do keys j; done
keys Space
wait_regex "idempotent +yes" 5
keys k Space
wait_for "idempotence needs acks=all" 5
wait_regex "acks +all" 5
keys j Space
wait_regex "idempotent +no" 5
keys g j j j j j j j j Enter
wait_for ":load-set interval_ms=0" 5
keys BSpace
type_text "5"
keys Enter
wait_regex "interval_ms +5 " 5
keys S
wait_for "? [y/N]" 5
keys y
wait_regex "run [^ ]+  running" 30
wait_regex "sent [1-9][0-9]*  acked [1-9]" 30
wait_regex "read [1-9][0-9]* " 30
wait_regex "^c0 +[1-9]|  c0 +[1-9]" 30
wait_for "couriers: updates per courier id  10 ids" 5
# a sparkline row with at least one block in it
wait_regex "(▁|▂|▃|▄|▅|▆|▇|█)+  sent [0-9]+s, peak [1-9]" 30
wait_regex "^0 +running +[0-9]" 30
wait_regex "^1 +running +[0-9]" 30
wait_regex "p[0-2]@[0-9]+" 10
screen_text | grep -qE '^2 +(joining|running)' && fail "a third member before a was pressed"
capture load-demo
keys a
wait_for "add a consumer to the group? [y/N]" 5
keys y
wait_regex "^2 +(joining|running) " 30
wait_regex "member 2 joined" 30
# the rebalance completes (the demo's 6 s session timeout): three members
# share the three partitions, one each
three_members_one_partition_each 30 || fail "after a, three demo members do not own one partition each"
# small terminals: the sections share the rows, Tab moves between them
resize 80 24
wait_for "settings of the next run" 5
wait_regex "run [^ ]+  running" 5
resize 60 15
wait_regex "run [^ ]+  running" 5
keys Tab
keys Tab
wait_regex "members of .*alive" 5
wait_regex "^[0-2] +(joining|running)" 5
resize 120 40
stop_and_audit
quit_and_check
log "demo part passed"

# ---- the lab
LAB="$REPO/lab/lab.sh"
lab_skip() { log "lab part skipped: $*"; pass; }
[[ -x $LAB ]] || lab_skip "no lab/lab.sh"
"$LAB" status >/dev/null 2>&1 || lab_skip "the lab is not up (run: lab/lab.sh up)"
eval "$("$LAB" env)"
[[ -n ${BOOTSTRAP:-} ]] || lab_skip "lab/lab.sh env gave no BOOTSTRAP"

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
type_text "load-set topic=$TOPIC;format=json;producers=1;consumers=2;interval_ms=20;couriers=10;partitions=3;session_timeout_ms=6000"
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
three_members_one_partition_each 60 || fail "three members do not own one partition each"
wait_regex "member 2 joined|joined" 10
capture load-added
# K kills the newest member without a LeaveGroup: after its 6 s session the
# group rebalances without it, and the record says every partition has one owner
keys K
wait_regex "^2 +killed " 10
wait_regex "^[0-9]+ +[0-9]+ +[0-9:.]+ +member 2 killed.* ok *$" 40
# d removes the newest live member cleanly (LeaveGroup): member 0 keeps them all
keys d
wait_regex "^1 +(leaving|done) " 10
wait_regex "^0 +running +0-2 " 40
capture load-removed
stop_and_audit
capture load-stopped
quit_and_check
pass
