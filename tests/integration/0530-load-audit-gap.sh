#!/usr/bin/env bash
# 0530: the audit can fail. Two producer threads write 400 messages; before
# any consumer runs, DeleteRecords (Kafka's kafka-delete-records) removes the
# first 40 records of partition 1. The audit must report exactly the
# sequences that were stored there as lost, nothing else, and exit 3.
source "$(dirname "$0")/lib.sh"
lab_env

# non-destructive (one topic of its own): shares the lab with other readers
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi
T=it-load-gap-$RUN_ID
FIFO=$WORK/control
DELETED=40
mkfifo "$FIFO"

# no consumer yet: the group joins when the control pipe says so
ks load --topic "$T" --partitions 3 --replication 2 --producers 2 --messages 200 --interval-ms 2 \
    --acks all --consumers 0 --control "$FIFO" --drain-timeout 60 \
    --audit --json --report "$WORK/report.json" >"$WORK/summary.json" 2>"$WORK/err.txt" 9>&- &
pid=$!
exec 8>"$FIFO" # keep a writer open for the whole run

# wait until all 400 are in the log
total() {
    local n=0 p end
    for p in 0 1 2; do
        end=$(kcat -b "$BOOTSTRAP" -Q -t "$T:$p:-1" 2>/dev/null | awk '{print $NF}')
        n=$(( n + ${end:-0} ))
    done
    echo "$n"
}
all_written() { [ "$(total)" = 400 ]; }
wait_for 60 all_written || fail "the producers did not write 400 messages ($(total))"

# the sequences stored at partition 1, offsets 0..39: what must be reported lost
kcat -b "$BOOTSTRAP" -C -t "$T" -p 1 -o beginning -c "$DELETED" -e -q -f '%h\n' |
    python3 -c '
import sys
for line in sys.stdin:  # header ksight=RUN/THREAD/SEQ/TS
    h = dict(kv.split("=", 1) for kv in line.strip().split(","))
    run, thread, seq, ts = h["ksight"].split("/")
    print(thread, seq)' | sort >"$WORK/expected.txt"
[ "$(wc -l <"$WORK/expected.txt")" -eq "$DELETED" ] || fail "could not read the $DELETED records to delete"
printf '{"version":1,"partitions":[{"topic":"%s","partition":1,"offset":%d}]}\n' "$T" "$DELETED" >"$WORK/delete.json"
tool kafka-delete-records --bootstrap-server "$BOOTSTRAP" --offset-json-file "$WORK/delete.json" >"$WORK/delete.out" 2>&1 ||
    { cat "$WORK/delete.out"; fail "kafka-delete-records failed"; }
say "deleted partition 1 offsets 0..$((DELETED - 1)) ($(sort -u -k1,1 "$WORK/expected.txt" | wc -l) producer threads affected)"

echo "consumers 1" >&8
rc=0
wait "$pid" || rc=$?
exec 8>&-
sed 's/^/  stderr: /' "$WORK/err.txt" | head -5
[ -s "$WORK/summary.json" ] || fail "no summary (exit $rc)"
say "$(jget "$WORK/summary.json" '" ".join("%s %s" % (k, d[k]) for k in ("produced", "acked", "consumed", "unique", "lost", "log_duplicates", "redelivered"))')"

# the lost ranges of the report, expanded, against what was deleted
jget "$WORK/report.json" '"\n".join("%d %d" % (t["thread"], s) for t in d["threads"] for a, b in t["lost_ranges"] for s in range(a, b + 1))' |
    sort >"$WORK/reported.txt"
if ! diff "$WORK/expected.txt" "$WORK/reported.txt" >"$WORK/diff.txt"; then
    sed 's/^/  /' "$WORK/diff.txt" | head -20
    fail "the audit's lost sequences differ from the deleted ones (ksight exit $rc)"
fi
say "the audit reports exactly the $DELETED deleted sequences as lost"
[ "$rc" -eq 3 ] || fail "ksight load --audit should exit 3 on a loss, exited $rc"
[ "$(jget "$WORK/summary.json" 'd["lost"]')" = "$DELETED" ] || fail "lost should be $DELETED"
[ "$(jget "$WORK/summary.json" 'd["unique"]')" = $((400 - DELETED)) ] || fail "unique should be $((400 - DELETED))"
[ "$(jget "$WORK/summary.json" 'd["log_duplicates"]')" = 0 ] || fail "no duplicate expected"
exit 0
