#!/usr/bin/env bash
# 0550: dec_groupmeta against Kafka's own reading of __consumer_offsets.
# Three Python confluent-kafka consumers form a group on a fresh topic, then
# it rebalances twice (c2 leaves cleanly, c4 joins), everyone leaves (the
# group goes Empty) and the group is deleted (a tombstone). The group's
# records are read raw from __consumer_offsets, decoded by groupmeta_dump
# (tests/integration/lib/groupmeta_dump.c) and compared field for field with
# Kafka's GroupMetadataMessageFormatter on the same offsets: generation,
# protocol, leader, member and client ids, timeouts, the subscription and
# assignment bytes, offset commit keys. The decoded assignments must equal
# what each consumer was told in its own on_assign callback.
source "$(dirname "$0")/lib.sh"
lab_env
source "$ROOT/tests/integration/lib/pyenv.sh"
pyenv_ensure || skip "no Python venv with confluent-kafka (PyPI unreachable?)"
DUMP=${KSIGHT_GROUPMETA_DUMP:-$(dirname "$KSIGHT")/groupmeta_dump}
[ -x "$DUMP" ] || fail "no $DUMP: build it (ninja -C build groupmeta_dump)"

# non-destructive: shares the lab with other readers
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi

TOPIC=it-gm-$RUN_ID
GROUP=it-gm-$RUN_ID
declare -A PID=()  # client id -> pid
cleanup() {
    local p
    for p in "${PID[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    "$PY" "$ROOT/tests/integration/lib/tail_kafka.py" delete "$TOPIC" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/member.py" <<'PY'
# member.py BOOTSTRAP GROUP TOPIC CLIENT_ID: one consumer that prints each
# assignment it gets as a JSON line; SIGTERM closes it cleanly (LeaveGroup).
import json, signal, sys
from confluent_kafka import Consumer

bootstrap, group, topic, client_id = sys.argv[1:5]
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "client.id": client_id,
              "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
              "partition.assignment.strategy": "range", "auto.offset.reset": "earliest",
              "auto.commit.interval.ms": 500})
def on_assign(consumer, parts):
    print(json.dumps({"member": consumer.memberid(),
                      "assigned": sorted([p.topic, p.partition] for p in parts)}), flush=True)
c.subscribe([topic], on_assign=on_assign)
while not stop:
    c.poll(0.2)
c.close()
PY

member() {  # member CLIENT_ID: starts a consumer in the background
    "$PY" "$WORK/member.py" "$BOOTSTRAP" "$GROUP" "$TOPIC" "$1" >"$WORK/$1.log" 2>&1 &
    PID[$1]=$!
}

# stable CLIENTS...: each client's latest assignment is in, and together they
# own the topic's 6 partitions exactly once
stable() {
    python3 - "$WORK" "$@" <<'PY'
import json, sys
work, clients = sys.argv[1], sys.argv[2:]
owned = []
for c in clients:
    lines = [l for l in open(f"{work}/{c}.log") if l.startswith("{")]
    if not lines:
        sys.exit(1)
    owned += [tuple(p) for p in json.loads(lines[-1])["assigned"]]
sys.exit(0 if sorted(owned) == sorted(set(owned)) and len(owned) == 6 else 1)
PY
}
wait_stable() {
    wait_for 30 stable "$@" || { tail -n 3 "$WORK"/c*.log | sed 's/^/  log: /'; fail "no stable assignment for $*"; }
    say "stable: $*"
}

"$PY" "$ROOT/tests/integration/lib/tail_kafka.py" create "$TOPIC" 6 2 || fail "cannot create $TOPIC"
t0=$(date +%s)
# a few messages, so that offset commits (key version 1) are written too
"$PY" - "$BOOTSTRAP" "$TOPIC" <<'PY'
import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(60):
    p.produce(sys.argv[2], key=str(i), value=f"v{i}")
p.flush(10)
PY

member c1
wait_stable c1
member c2
member c3
wait_stable c1 c2 c3
kill -TERM "${PID[c2]}"                # rebalance 1: a clean leave
wait "${PID[c2]}" || true
wait_stable c1 c3
member c4                              # rebalance 2: a join
wait_stable c1 c3 c4
kill -TERM "${PID[c1]}" "${PID[c3]}" "${PID[c4]}"  # everyone leaves: the group goes Empty
wait "${PID[c1]}" "${PID[c3]}" "${PID[c4]}" || true
"$PY" - "$BOOTSTRAP" "$GROUP" <<'PY' || fail "cannot delete group $GROUP"
import sys
from confluent_kafka.admin import AdminClient
a = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in a.delete_consumer_groups([sys.argv[2]], request_timeout=15).values():
    f.result()
PY
say "group went through its generations in $(( $(date +%s) - t0 ))s"

# the group's records, raw: "PARTITION OFFSET KEYHEX VALUEHEX|-", read until
# the deletion's tombstone (the last record a group gets; it becomes visible
# once replicated, a moment after DeleteGroups returns). Every partition is
# read rather than trusting a hash of the group name.
"$PY" - "$BOOTSTRAP" "$GROUP" >"$WORK/records.txt" <<'PY' || fail "cannot read __consumer_offsets"
import struct, sys, time
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

bootstrap, group = sys.argv[1], sys.argv[2].encode()
c = Consumer({"bootstrap.servers": bootstrap, "group.id": "it-gm-reader", "enable.auto.commit": False})
meta = c.list_topics("__consumer_offsets", timeout=10).topics["__consumer_offsets"]
c.assign([TopicPartition("__consumer_offsets", p, OFFSET_BEGINNING) for p in meta.partitions])
deadline = time.time() + 30
while time.time() < deadline:
    m = c.poll(0.5)
    if m is None or m.error():
        continue
    k = m.key() or b""
    if len(k) < 4 or not 0 <= struct.unpack(">h", k[:2])[0] <= 2:
        continue
    glen = struct.unpack(">h", k[2:4])[0]
    if k[4:4 + glen] != group:
        continue
    v = m.value()
    print(m.partition(), m.offset(), k.hex(), v.hex() if v is not None else "-", flush=True)
    if v is None and k[:2] == b"\x00\x02":
        sys.exit(0)
sys.exit("__consumer_offsets: no tombstone for the group within 30 s")
PY
[ -s "$WORK/records.txt" ] || fail "no record of $GROUP in __consumer_offsets"
"$DUMP" <"$WORK/records.txt" >"$WORK/ours.jsonl" || { grep error "$WORK/ours.jsonl" | head -3; fail "groupmeta_dump could not decode a record"; }

# Kafka's formatter over the same offsets (one partition: a group has one coordinator)
read -r part first last < <(awk 'NR == 1 { p = $1; f = $2 } $1 != p { print "x"; exit } { l = $2 } END { print p, f, l }' "$WORK/records.txt")
[ "$part" != x ] || fail "the group's records are on more than one partition"
tool kafka-console-consumer --bootstrap-server "$BOOTSTRAP" --topic __consumer_offsets \
    --partition "$part" --offset "$first" --max-messages $((last - first + 1)) --timeout-ms 15000 \
    --formatter org.apache.kafka.tools.consumer.GroupMetadataMessageFormatter \
    >"$WORK/kafka.txt" 2>"$WORK/kafka.err" || true
[ -s "$WORK/kafka.txt" ] || { tail -5 "$WORK/kafka.err"; fail "Kafka's formatter printed nothing"; }

python3 - "$WORK" "$GROUP" <<'PY' || fail "see above"
import json, sys

work, group = sys.argv[1], sys.argv[2]
ours = [json.loads(l) for l in open(f"{work}/ours.jsonl")]
# the formatter writes its JSON objects back to back, without separators
text, dec, kafka, i = open(f"{work}/kafka.txt").read(), json.JSONDecoder(), [], 0
while i < len(text):
    if text[i].isspace():
        i += 1
        continue
    obj, i = dec.raw_decode(text, i)
    if obj["key"]["data"].get("group") == group:
        kafka.append(obj)

def fail(msg):
    sys.exit(f"  FAIL: {msg}")

commits = [o for o in ours if o["key"]["kind"] == "offset commit"]
ours = [o for o in ours if o["key"]["kind"] == "group metadata"]
# the formatter shows group metadata records only: offset commit keys are
# checked against the scenario (auto-commits of the 60 messages produced)
if not commits or any(o["key"]["topic"] != group or not 0 <= o["key"]["partition"] < 6
                      for o in commits):
    fail(f"offset commit keys: {[o['key'] for o in commits][:3]}")
if len(ours) != len(kafka):
    fail(f"{len(ours)} group metadata records decoded, Kafka's formatter shows {len(kafka)}")
gens, tombstones = [], 0
for n, (o, k) in enumerate(zip(ours, kafka)):
    where = f"record {n} (offset {o['offset']})"
    if o["key"]["version"] != k["key"]["version"]:
        fail(f"{where}: key version {o['key']['version']} != {k['key']['version']}")
    for f, v in k["key"]["data"].items():
        if o["key"].get(f) != v:
            fail(f"{where}: key {f}: {o['key'].get(f)!r} != {v!r}")
    if k["value"] is None:
        if o["value"] is not None:
            fail(f"{where}: Kafka sees a tombstone, we decoded {o['value']}")
        tombstones += 1
        continue
    kv, ov = k["value"]["data"], o["value"]
    if ov is None or ov["version"] != k["value"]["version"]:
        fail(f"{where}: value version: {ov and ov['version']} != {k['value']['version']}")
    for f, v in kv.items():
        if f != "members" and ov.get(f) != v:
            fail(f"{where}: {f}: {ov.get(f)!r} != {v!r}")
    if len(ov["members"]) != len(kv["members"]):
        fail(f"{where}: {len(ov['members'])} members != {len(kv['members'])}")
    for km, om in zip(kv["members"], ov["members"]):
        for f, v in km.items():
            if om.get(f) != v:
                fail(f"{where}: member {km['memberId']}: {f}: {om.get(f)!r} != {v!r}")
    gens.append((kv["generation"], sorted(m["clientId"] for m in kv["members"])))

# the story the scenario told, in generations
if [g for g, _ in gens] != sorted(set(g for g, _ in gens)):
    fail(f"generations not increasing: {gens}")
shapes = [c for _, c in gens]
for want in (["c1", "c2", "c3"], ["c1", "c3"], ["c1", "c3", "c4"], []):
    if want not in shapes:
        fail(f"no generation with members {want}: {gens}")
if tombstones != 1 or ours[-1]["value"] is not None:
    fail(f"want one tombstone, last: {tombstones}")

# each consumer's last on_assign equals its assignment in the last generation it was in
for client in ("c1", "c2", "c3", "c4"):
    told = [json.loads(l) for l in open(f"{work}/{client}.log") if l.startswith("{")][-1]
    last = [m for o in ours if isinstance(o["value"], dict)
            for m in o["value"]["members"] if m["clientId"] == client][-1]
    got = sorted([t, p] for t, ps in last.get("assigned", {}).items() for p in ps)
    if last["memberId"] != told["member"] or got != told["assigned"]:
        fail(f"{client}: decoded {last['memberId']} {got}, the consumer was told "
             f"{told['member']} {told['assigned']}")
print(f"  {len(ours)} records equal field for field: generations {[g for g, _ in gens]}, "
      f"{len(commits)} offset commits, {tombstones} tombstone; assignments as the consumers saw them")
PY
say "done in $(( $(date +%s) - t0 ))s"
