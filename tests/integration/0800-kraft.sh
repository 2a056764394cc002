#!/usr/bin/env bash
# 0800: against the lab in KRaft mode: no ZooKeeper section, and the same
# equality with Kafka's CLI for partitions, watermarks and groups.
source "$(dirname "$0")/lib.sh"
lab_env
[ "${KSIGHT_LAB_MODE:-}" = kraft ] || skip "the lab is not in KRaft mode (lab/lab.sh up --kraft)"

T=kr-$RUN_ID
tool kafka-topics --bootstrap-server "$BOOTSTRAP" --create --topic "$T" --partitions 4 --replication-factor 3 >/dev/null
produce "$T" 300
consume_some "kg-$RUN_ID" "$T" 120
compare_topics "$T" || fail "topics differ from Kafka's CLI in KRaft mode"
compare_groups "kg-$RUN_ID" || fail "groups differ from Kafka's CLI in KRaft mode"
[ "$(jget "$WORK/snap.json" 'd["zookeeper"] is None')" = True ] || fail "a ZooKeeper section on a KRaft cluster"
[ "$(jget "$WORK/snap.json" 'len(d["cluster"]["brokers"])')" = 3 ] || fail "expected 3 brokers"
say "KRaft: 3 brokers, controller $(jget "$WORK/snap.json" 'd["cluster"]["controller"]'), zookeeper null"

# the coordinator's log reads the same under KRaft: a load group's join and
# its emptying come with the generations its member was given (1), then 2
G=kl-$RUN_ID
"$KSIGHT" -b "$BOOTSTRAP" -i 1 rebalances --group "$G" --json --count 2 --duration 40 \
    >"$WORK/reb.jsonl" 2>"$WORK/reb.err" &
reb=$!
sleep 2
ks load --topic "kl-$RUN_ID" --partitions 2 --producers 1 --messages 200 --interval-ms 10 \
    --consumers 1 --group "$G" --json --report "$WORK/report.json" >/dev/null 2>"$WORK/load.err" ||
    fail "ksight load failed in KRaft mode: $(head -1 "$WORK/load.err")"
wait "$reb" || fail "ksight rebalances failed: $(head -1 "$WORK/reb.err")"
python3 - "$WORK/reb.jsonl" "$WORK/report.json" <<'PY' || fail "KRaft: generations differ"
import json, sys
seen = [(r["members_after"], r["generation"]) for r in map(json.loads, open(sys.argv[1]))]
own = [r["generation"] for r in json.load(open(sys.argv[2]))["rebalances"] if r.get("generation")]
print("  KRaft generations: members' own %s, from the coordinator's log %s" % (own, seen))
sys.exit(0 if own and seen and seen[0] == (1, own[0]) and seen[-1][0] == 0
         and seen[-1][1] is not None and seen[-1][1] > own[-1] else 1)
PY
exit 0
