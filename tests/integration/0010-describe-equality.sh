#!/usr/bin/env bash
# 0010: partitions, leaders, replicas, ISR, watermarks, committed offsets and
# lag in `ksight snapshot --json` equal Kafka's own CLI; then again with a
# broker stopped (ISR shrinks, partitions under-replicated).
source "$(dirname "$0")/lib.sh"
lab_env

A=it-a-$RUN_ID B=it-b-$RUN_ID C=it-c-$RUN_ID
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$A" --partitions 1 --replication-factor 1 >/dev/null
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$B" --partitions 3 --replication-factor 3 >/dev/null
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$C" --partitions 6 --replication-factor 2 >/dev/null
say "created $A (1x1), $B (3x3), $C (6x2)"
produce "$A" 40
produce "$B" 250
produce "$C" 600
say "produced 40 + 250 + 600 messages with kafka-console-producer"
consume_some "g1-$RUN_ID" "$B" 100
consume_some "g2-$RUN_ID" "$C" 222
say "groups g1 (100 of $B) and g2 (222 of $C) committed part-way"

compare_topics "$A" "$B" "$C" || fail "topics differ from kafka-topics/kafka-get-offsets"
compare_groups "g1-$RUN_ID" "g2-$RUN_ID" || fail "groups differ from kafka-consumer-groups"
# g1 read 100 of 250: its commits add up to 100 and its total lag is the sum
# over the committed partitions (the console consumer may stop before it has
# fetched from all three: that partition then has no commit, "-" in the CLI)
python3 - "$WORK/snap.json" "g1-$RUN_ID" <<'PY' || fail "g1's committed offsets or total lag are wrong"
import json, sys
g = [g for g in json.load(open(sys.argv[1]))["groups"] if g["group"] == sys.argv[2]][0]
done = [o for o in g["offsets"] if o["committed"] is not None]
committed = sum(o["committed"] for o in done)
lag = sum(o["end"] - o["committed"] for o in done)
print("  g1: committed %d over %d partitions, total lag %s (expected %d)" % (committed, len(done), g["lag"], lag))
sys.exit(0 if committed == 100 and g["lag"] == lag else 1)
PY

"$LAB" stop-broker 2 >/dev/null
trap '"$LAB" start-broker 2 >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
say "broker 2 stopped"
compare_topics "$A" "$B" "$C" || fail "with broker 2 down, topics differ from Kafka's CLI"
urp=$(jget "$WORK/snap.json" 'sum(1 for t in d["topics"] if t["name"] in ("'"$B"'","'"$C"'") for p in t["partitions"] if len(p["isr"]) < len(p["replicas"]))')
down=$(jget "$WORK/snap.json" '[b["up"] for b in d["cluster"]["brokers"] if b["id"]==2]')
say "under-replicated partitions of $B and $C: $urp; broker 2 up: $down"
[ "$urp" -ge 3 ] || fail "expected every partition of $B (and those of $C on broker 2) under-replicated"
[ "$down" = "[False]" ] || fail "broker 2 should be listed as down"
compare_groups "g1-$RUN_ID" "g2-$RUN_ID" || fail "with broker 2 down, groups differ"

"$LAB" start-broker 2 >/dev/null
say "broker 2 started again"
exit 0
