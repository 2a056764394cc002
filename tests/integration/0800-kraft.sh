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
exit 0
