#!/usr/bin/env bash
# 0510: the workbook's rebalance exercise (Atelier 3.2): the group grows and
# shrinks while messages flow, 1 -> 3 -> 5 -> 2 members (added, then removed
# cleanly), once with an eager assignor (range) and once with
# cooperative-sticky. After each step every partition belongs to exactly one
# member, the timeline lists every generation, and nothing is lost.
source "$(dirname "$0")/lib.sh"
lab_env

# non-destructive: shares the lab with other readers
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi
CHECK="python3 $ROOT/tests/integration/lib/load_check.py"

run() {  # run ASSIGNOR
    local a=$1 t=it-load-reb-$1-$RUN_ID rc=0
    ks load --topic "$t" --partitions 6 --replication 2 \
        --producers 2 --messages 1500 --interval-ms 20 \
        --consumers-schedule 1@0,3@8,5@16,2@24 --assignor "$a" --commit manual \
        --session-timeout-ms 6000 --audit --json --report "$WORK/$a.json" \
        >"$WORK/$a.summary.json" 2>"$WORK/$a.err" || rc=$?
    sed 's/^/  stderr: /' "$WORK/$a.err" | head -5
    [ -s "$WORK/$a.summary.json" ] || fail "$a: no summary (exit $rc)"
    say "$a: $(jget "$WORK/$a.summary.json" '" ".join("%s %s" % (k, d[k]) for k in ("produced", "consumed", "unique", "lost", "redelivered", "rebalances"))')"
    [ "$rc" -eq 0 ] || fail "$a: ksight load exited $rc"
    [ "$(jget "$WORK/$a.summary.json" 'd["lost"]')" = 0 ] || fail "$a: messages were lost"
    [ "$(jget "$WORK/$a.summary.json" 'd["unique"]')" = 3000 ] || fail "$a: not every message was consumed"
}

run range
$CHECK schedule "$WORK/range.json" 1,3,5,2 --strict || fail "range: the rebalance timeline is wrong"
run cooperative-sticky
$CHECK schedule "$WORK/cooperative-sticky.json" 1,3,5,2 || fail "cooperative-sticky: the rebalance timeline is wrong"
exit 0
