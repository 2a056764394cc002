#!/usr/bin/env bash
# 0520: a member dies without a word (killed: its handle destroyed without
# LeaveGroup). The group keeps waiting for it until session.timeout.ms, and
# only then rebalances; the timeline shows when the kill happened, when the
# group noticed, and how long its partitions stopped. A member that leaves
# cleanly afterwards is noticed at once. Manual commits: nothing is lost.
source "$(dirname "$0")/lib.sh"
lab_env

# non-destructive: shares the lab with other readers
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi
T=it-load-kill-$RUN_ID
SESSION_MS=6000
FIFO=$WORK/control
mkfifo "$FIFO"

ks load --topic "$T" --partitions 6 --replication 2 \
    --producers 2 --messages 1300 --interval-ms 20 \
    --consumers 3 --commit manual --session-timeout-ms "$SESSION_MS" --control "$FIFO" \
    --audit --json --report "$WORK/report.json" >"$WORK/summary.json" 2>"$WORK/err.txt" 9>&- &
pid=$!
sleep 6
echo "kill 1" >"$FIFO"
say "member 1 killed 6 s into the run"
sleep 12
echo "remove 2" >"$FIFO"
say "member 2 removed cleanly 18 s into the run"
rc=0
wait "$pid" || rc=$?
sed 's/^/  stderr: /' "$WORK/err.txt" | head -5
[ -s "$WORK/summary.json" ] || fail "no summary (exit $rc)"
say "$(jget "$WORK/summary.json" '" ".join("%s %s" % (k, d[k]) for k in ("produced", "consumed", "unique", "lost", "redelivered", "rebalances"))')"
[ "$rc" -eq 0 ] || fail "ksight load exited $rc"
[ "$(jget "$WORK/report.json" '[m["state"] for m in d["members"]][1]')" = killed ] || fail "member 1 is not reported killed"
python3 "$ROOT/tests/integration/lib/load_check.py" kill "$WORK/report.json" 1 "$SESSION_MS" ||
    fail "the timeline does not show the session timeout"
[ "$(jget "$WORK/summary.json" 'd["lost"]')" = 0 ] || fail "messages were lost"
[ "$(jget "$WORK/summary.json" 'd["unique"]')" = 2600 ] || fail "not every message was consumed"
exit 0
