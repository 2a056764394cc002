#!/usr/bin/env bash
# 0500: the workbook's reliability exercise (Atelier 8): acks=all, idempotent
# producers, a group that commits by hand after processing; broker 2 stops in
# the middle of the run and comes back. The delivery audit must find nothing
# lost and nothing stored twice.
source "$(dirname "$0")/lib.sh"
lab_env

# This scenario stops a broker: it holds the lab lock for its whole body
# (tests/run may already hold it for us). The lock's descriptor must not
# leak into the broker it restarts, or the broker would hold the lock for
# as long as it runs: lab commands get it closed (9>&-).
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock 9
    export KSIGHT_LAB_LOCKED=1
fi

T=it-load-rel-$RUN_ID
trap '"$LAB" start-broker 2 >/dev/null 2>&1 9>&- || true; rm -rf "$WORK"' EXIT

t0=$(date +%s)
ks load --topic "$T" --partitions 3 --replication 2 \
    --producers 3 --messages 1000 --interval-ms 15 --mode async --acks all --idempotent \
    --consumers 2 --commit manual --session-timeout-ms 6000 \
    --drain-timeout 90 --audit --json --report "$WORK/report.json" \
    >"$WORK/summary.json" 2>"$WORK/err.txt" 9>&- &
pid=$!
sleep 5
"$LAB" stop-broker 2 >/dev/null 2>&1 9>&- || fail "lab.sh stop-broker 2 failed"
say "broker 2 stopped, $(( $(date +%s) - t0 )) s into the run"
sleep 3
"$LAB" start-broker 2 >/dev/null 2>&1 9>&- || fail "lab.sh start-broker 2 failed"
say "broker 2 started again, $(( $(date +%s) - t0 )) s into the run"
rc=0
wait "$pid" || rc=$?
sed 's/^/  stderr: /' "$WORK/err.txt" | head -5

[ -s "$WORK/summary.json" ] || fail "no summary (exit $rc)"
s() { jget "$WORK/summary.json" "$1"; }
r() { jget "$WORK/report.json" "$1"; }
say "produced $(s 'd["produced"]') acked $(s 'd["acked"]') failed $(s 'd["failed"]')" \
    "consumed $(s 'd["consumed"]') unique $(s 'd["unique"]')"
say "lost $(s 'd["lost"]') log_duplicates $(s 'd["log_duplicates"]')" \
    "redelivered $(s 'd["redelivered"]') out_of_order $(s 'd["out_of_order"]')" \
    "rebalances $(s 'd["rebalances"]')"
say "errors: $(r 'd["errors"]')"
say "produce p50/p99 $(s 'd["produce_latency_ms"]') e2e $(s 'd["e2e_latency_ms"]') ms"

[ "$rc" -eq 0 ] || fail "ksight load exited $rc (3: the audit found a loss; 1: not drained)"
[ "$(s 'd["produced"]')" = 3000 ] || fail "expected 3000 produced"
[ "$(s 'd["acked"]')" = 3000 ] || fail "with acks=all and retries every message should be acknowledged"
[ "$(s 'd["lost"]')" = 0 ] || fail "acknowledged messages were lost"
[ "$(s 'd["log_duplicates"]')" = 0 ] || fail "idempotence on, yet the log holds duplicates"
[ "$(s 'd["out_of_order"]')" = 0 ] || fail "idempotence on, yet messages are out of order"
[ "$(s 'd["unique"]')" = 3000 ] || fail "expected 3000 distinct messages consumed"
exit 0
