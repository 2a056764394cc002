#!/usr/bin/env python3
"""tail_kafka.py: the independent client of the tail scenarios (04xx).

Produces with confluent-kafka (its own librdkafka, its AvroSerializer and
SchemaRegistryClient) and writes what was sent, with the partition and offset
each message landed on, so that `ksight tail --format jsonl` can be checked
record by record.

  tail_kafka.py create TOPIC PARTITIONS RF
  tail_kafka.py delete TOPIC...
  tail_kafka.py avro TOPIC COUNT SENT.jsonl          Courier records, Avro via the registry
  tail_kafka.py mixed TOPIC SENT.jsonl               JSON (string keys), text, binary,
                                                    headers, null keys and values
  tail_kafka.py raw TOPIC HEXVALUE [HEXKEY]           one message with these exact bytes
  tail_kafka.py compare SENT.jsonl GOT.jsonl [--expect-format F] [--subset]
  tail_kafka.py schema-id SUBJECT
  tail_kafka.py gen-json FILE COUNT                  bench: KEY<TAB>JSON lines for kcat -P -K'\t'
  tail_kafka.py bulk-avro TOPIC COUNT                bench: Confluent-framed Avro Couriers,
                                                    as fast as the producer goes
  tail_kafka.py steady TOPIC RATE SECONDS            bench: JSON Couriers at RATE msgs/s

Environment: BOOTSTRAP, REGISTRY (lab/lab.sh env).

A SENT record holds what ksight should print: {"partition", "offset",
"timestamp", "key", "value", "key_format", "value_format", "headers"} with
key/value in their jsonl form (Avro and JSON decoded, text as a string,
binary as {"hex": ...}, null as null). Avro timestamp-millis values are
written as ISO-8601 strings with milliseconds and "Z", the decoders'
documented rendering.
"""
import datetime
import json
import os
import random
import sys
import warnings

warnings.filterwarnings("ignore")
try:  # authlib (under the registry client) forces its deprecation warnings on: off again
    import authlib.deprecate

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
except ImportError:
    pass

from confluent_kafka import Producer  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

BOOTSTRAP = os.environ.get("BOOTSTRAP", "127.0.0.1:9092")
REGISTRY = os.environ.get("REGISTRY", "http://127.0.0.1:8081/apis/ccompat/v7")

COURIER_SCHEMA = {
    "type": "record",
    "name": "Courier",
    "fields": [
        {"name": "id", "type": "string"},
        {
            "name": "position",
            "type": {
                "type": "record",
                "name": "Position",
                "fields": [
                    {"name": "lat", "type": "double"},
                    {"name": "lon", "type": "double"},
                ],
            },
        },
        {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    ],
}


def iso_millis(ms):
    dt = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def admin():
    return AdminClient({"bootstrap.servers": BOOTSTRAP, "log_level": 3})


def cmd_create(topic, partitions, rf):
    client = admin()  # must outlive its futures
    futures = client.create_topics([NewTopic(topic, int(partitions), int(rf))])
    for f in futures.values():
        f.result()


def cmd_delete(*topics):
    client = admin()
    futures = client.delete_topics(list(topics))
    for f in futures.values():
        try:
            f.result()
        except Exception:  # already gone: fine
            pass


class Recorder:
    """Produces and records where each message landed."""

    def __init__(self, topic):
        self.topic = topic
        self.producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all", "log_level": 3,
                                  "enable.idempotence": True, "linger.ms": 5})
        self.sent = []

    def send(self, key_bytes, value_bytes, expect_key, expect_value, key_format, value_format,
             headers=None, expect_headers=None, partition=None, schema_id=None):
        rec = {"key": expect_key, "value": expect_value, "key_format": key_format,
               "value_format": value_format, "headers": expect_headers or [],
               "schema_id": schema_id}

        def on_delivery(err, msg):
            if err:
                raise SystemExit("delivery failed: %s" % err)
            rec["partition"] = msg.partition()
            rec["offset"] = msg.offset()
            rec["timestamp"] = msg.timestamp()[1]

        kwargs = {"key": key_bytes, "value": value_bytes, "on_delivery": on_delivery}
        if headers:
            kwargs["headers"] = headers
        if partition is not None:
            kwargs["partition"] = partition
        self.producer.produce(self.topic, **kwargs)
        self.producer.poll(0)
        self.sent.append(rec)

    def finish(self, path):
        left = self.producer.flush(30)
        if left:
            raise SystemExit("%d messages not delivered" % left)
        with open(path, "w") as out:
            for rec in self.sent:
                out.write(json.dumps(rec) + "\n")


def cmd_avro(topic, count, path):
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.avro import AvroSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext

    registry = SchemaRegistryClient({"url": REGISTRY})
    serializer = AvroSerializer(registry, json.dumps(COURIER_SCHEMA),
                                conf={"auto.register.schemas": True})
    ctx = SerializationContext(topic, MessageField.VALUE)
    rnd = random.Random(4)
    rec = Recorder(topic)
    schema_id = None
    base = 1704164645123
    for i in range(int(count)):
        cid = "c%d" % rnd.randrange(60)
        ms = base + i * 1013
        lat = rnd.choice([48.8566, 45.764043, 43.296482, -33.8688, 0.1 + 0.2, 1e-7])
        lat = lat if i % 7 else rnd.uniform(-90, 90)  # some full-precision doubles
        lon = rnd.uniform(-180, 180) if i % 3 else 2.3522
        courier = {"id": cid, "position": {"lat": lat, "lon": lon},
                   "timestamp": datetime.datetime.fromtimestamp(ms / 1000,
                                                                tz=datetime.timezone.utc)}
        value = serializer(courier, ctx)
        if schema_id is None:
            schema_id = int.from_bytes(value[1:5], "big")
        expect = {"id": cid, "position": {"lat": lat, "lon": lon}, "timestamp": iso_millis(ms)}
        rec.send(cid.encode(), value, cid, expect, "text", "avro", schema_id=schema_id)
    rec.finish(path)
    print(schema_id)


def cmd_mixed(topic, path):
    rnd = random.Random(7)
    rec = Recorder(topic)
    for i in range(60):
        cid = "c%d" % i
        kind = i % 6
        if kind == 0:  # JSON Courier, string key
            v = {"id": cid, "position": {"lat": rnd.uniform(42, 51), "lon": rnd.uniform(-4, 8)},
                 "timestamp": 1704164645123 + i}
            rec.send(cid.encode(), json.dumps(v).encode(), cid, v, "text", "json")
        elif kind == 1:  # JSON with everything JSON has
            v = {"s": "caf\u00e9 \"q\" \\ \u001b[31m", "n": [0, -1, 123456789012345678, 1.5e300,
                 0.1, -0.0], "t": True, "f": False, "z": None, "nested": {"a": [{"b": []}]},
                 "emoji": "\U0001F680"}
            rec.send(cid.encode(), json.dumps(v, ensure_ascii=i % 2 == 0).encode(), cid, v,
                     "text", "json")
        elif kind == 2:  # text, some with terminal escapes
            v = rnd.choice(["hello world", "42", "caf\u00e9 cr\u00e8me", "\u001b[2J\u001b]0;pwned",
                            "tab\tand\nnewline", "{not json", "\u202eevil"])
            rec.send(cid.encode(), v.encode(), cid, v, "text", "text")
        elif kind == 3:  # binary (not UTF-8, not Confluent-framed)
            v = bytes([0xff, 0xfe]) + bytes(rnd.randrange(256) for _ in range(20))
            rec.send(cid.encode(), v, cid, {"hex": v.hex()}, "text", "binary")
        elif kind == 4:  # headers
            v = {"id": cid}
            headers = [("trace", b"abc-%d" % i), ("bin", b"\xff\x00\x01"), ("empty", b""),
                       ("esc", b"\x1b[31m")]
            expect_h = [{"key": "trace", "value": "abc-%d" % i},
                        {"key": "bin", "value": {"hex": "ff0001"}},
                        {"key": "empty", "value": ""},
                        {"key": "esc", "value": "\u001b[31m"}]
            rec.send(cid.encode(), json.dumps(v).encode(), cid, v, "text", "json",
                     headers=headers, expect_headers=expect_h)
        else:  # null key, then a tombstone
            if i % 12 == 5:
                rec.send(None, b'{"k":null}', None, {"k": None}, "null", "json")
            else:
                rec.send(cid.encode(), None, cid, None, "text", "null")
    rec.finish(path)


def cmd_raw(topic, hexvalue, hexkey=None):
    p = Producer({"bootstrap.servers": BOOTSTRAP, "log_level": 3})
    p.produce(topic, value=bytes.fromhex(hexvalue),
              key=bytes.fromhex(hexkey) if hexkey else None, partition=0)
    if p.flush(30):
        raise SystemExit("not delivered")


def courier_fields(i, rnd):
    cid = "c%d" % rnd.randrange(1000)
    return cid, round(rnd.uniform(42.0, 51.0), 6), round(rnd.uniform(-4.5, 8.0), 6), \
        1704164645123 + i


def cmd_gen_json(path, count):
    rnd = random.Random(11)
    with open(path, "w") as out:
        for i in range(int(count)):
            cid, lat, lon, ms = courier_fields(i, rnd)
            out.write('%s\t{"id":"%s","position":{"lat":%r,"lon":%r},"timestamp":%d}\n'
                      % (cid, cid, lat, lon, ms))


def cmd_bulk_avro(topic, count):
    import io
    import struct

    import fastavro
    from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

    registry = SchemaRegistryClient({"url": REGISTRY})
    schema_id = registry.register_schema(topic + "-value",
                                         Schema(json.dumps(COURIER_SCHEMA), "AVRO"))
    parsed = fastavro.parse_schema(COURIER_SCHEMA)
    header = b"\x00" + struct.pack(">I", schema_id)
    rnd = random.Random(12)
    p = Producer({"bootstrap.servers": BOOTSTRAP, "log_level": 3, "linger.ms": 20,
                  "batch.num.messages": 10000, "queue.buffering.max.messages": 1000000})
    buf = io.BytesIO()
    for i in range(int(count)):
        cid, lat, lon, ms = courier_fields(i, rnd)
        buf.seek(0)
        buf.truncate()
        fastavro.schemaless_writer(buf, parsed, {"id": cid, "position": {"lat": lat, "lon": lon},
                                                 "timestamp": ms})
        while True:
            try:
                p.produce(topic, key=cid.encode(), value=header + buf.getvalue())
                break
            except BufferError:
                p.poll(0.05)
        if i % 10000 == 0:
            p.poll(0)
    if p.flush(120):
        raise SystemExit("not all delivered")
    print(schema_id)


def cmd_steady(topic, rate, seconds):
    import time

    rnd = random.Random(13)
    p = Producer({"bootstrap.servers": BOOTSTRAP, "log_level": 3, "linger.ms": 20})
    rate, end = float(rate), time.monotonic() + float(seconds)
    i, t0 = 0, time.monotonic()
    while time.monotonic() < end:
        cid, lat, lon, ms = courier_fields(i, rnd)
        v = '{"id":"%s","position":{"lat":%r,"lon":%r},"timestamp":%d}' % (cid, lat, lon, ms)
        p.produce(topic, key=cid.encode(), value=v.encode())
        i += 1
        if i % 100 == 0:
            p.poll(0)
            ahead = i / rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
    p.flush(30)
    print(i)


def cmd_schema_id(subject):
    from confluent_kafka.schema_registry import SchemaRegistryClient
    print(SchemaRegistryClient({"url": REGISTRY}).get_latest_version(subject).schema_id)


def same(a, b):
    """Deep equality where floats must be the same double (not merely close)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b and (isinstance(a, float) == isinstance(b, float) or a == int(a))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def cmd_compare(sent_path, got_path, *flags):
    subset = "--subset" in flags
    sent = {}
    with open(sent_path) as f:
        for line in f:
            r = json.loads(line)
            sent[(r["partition"], r["offset"])] = r
    got, problems = {}, []
    topic, compared = None, 0
    with open(got_path) as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except ValueError as e:
                problems.append("line %d is not JSON (%s): %r" % (n, e, line[:200]))
                continue
            keys = ["topic", "partition", "offset", "timestamp", "key", "value", "key_format",
                    "value_format", "schema_id", "headers"]
            if list(r.keys()) != keys:
                problems.append("line %d: keys %s, expected %s" % (n, list(r.keys()), keys))
            topic = topic or r.get("topic")
            k = (r.get("partition"), r.get("offset"))
            if k in got:
                problems.append("duplicate record at partition %s offset %s" % k)
            got[k] = r
    for k, want in sorted(sent.items()):
        if k not in got:
            if not subset:
                problems.append("missing: partition %s offset %s" % k)
            continue
        r = got.pop(k)
        compared += 1
        for field in ("key", "value", "key_format", "value_format", "headers", "timestamp"):
            if not same(want[field], r[field]):
                problems.append("partition %s offset %s: %s is %s, sent %s" % (
                    k[0], k[1], field, json.dumps(r[field])[:300], json.dumps(want[field])[:300]))
        if want.get("schema_id") is not None and r["schema_id"] != want["schema_id"]:
            problems.append("partition %s offset %s: schema_id %s, expected %s" % (
                k[0], k[1], r["schema_id"], want["schema_id"]))
        if want.get("schema_id") is None and want["value_format"] != "binary" \
                and r["schema_id"] is not None:
            problems.append("partition %s offset %s: unexpected schema_id %s" % (
                k[0], k[1], r["schema_id"]))
    for k in sorted(got):
        problems.append("unexpected record: partition %s offset %s" % k)
    for p in problems[:20]:
        print("  " + p)
    if problems:
        print("  %d problem(s)" % len(problems))
        return 1
    print("  %d records equal to what was sent (topic %s)" % (compared, topic))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    fn = {"create": cmd_create, "delete": cmd_delete, "avro": cmd_avro, "mixed": cmd_mixed,
          "raw": cmd_raw, "compare": cmd_compare, "schema-id": cmd_schema_id,
          "gen-json": cmd_gen_json, "bulk-avro": cmd_bulk_avro, "steady": cmd_steady}.get(cmd)
    if not fn:
        print(__doc__)
        return 2
    return fn(*args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
