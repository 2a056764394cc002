#!/usr/bin/env python3
"""Compare `ksight snapshot --json` with Kafka's own CLI output.

Kafka's tools are the reference: every partition's leader, replicas, ISR,
low and high watermark, and every group's committed offset, log-end offset
and lag must be equal. Exit 0 when equal, 1 with a list of differences.

  kafka_compare.py topics SNAP.json DESCRIBE.txt END.txt LOW.txt TOPIC...
  kafka_compare.py groups SNAP.json GROUPS.txt GROUP...
"""
import json
import re
import sys


def parse_describe(text):
    """kafka-topics --describe -> {(topic, partition): (leader, replicas, isr)}"""
    out = {}
    pat = re.compile(r"Topic:\s*(\S+)\s+Partition:\s*(\d+)\s+Leader:\s*(\S+)\s+"
                     r"Replicas:\s*(\S*)\s+Isr:\s*(\S*)")
    for line in text.splitlines():
        m = pat.search(line)
        if not m:
            continue
        topic, part, leader, reps, isr = m.groups()
        leader = None if leader == "none" else int(leader)
        ids = lambda s: [int(x) for x in s.split(",") if x.strip().lstrip("-").isdigit()]
        out[(topic, int(part))] = (leader, ids(reps), sorted(ids(isr)))
    return out


def parse_offsets(text):
    """kafka-get-offsets -> {(topic, partition): offset}; lines are topic:partition:offset"""
    out = {}
    for line in text.splitlines():
        parts = line.strip().rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].lstrip("-").isdigit():
            out[(parts[0], int(parts[1]))] = int(parts[2])
    return out


def parse_groups(text):
    """kafka-consumer-groups --describe -> {(group, topic, partition): (committed, end, lag)}"""
    out = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) < 6 or f[0] == "GROUP" or not f[2].isdigit():
            continue
        num = lambda s: None if s == "-" else int(s)
        out[(f[0], f[1], int(f[2]))] = (num(f[3]), num(f[4]), num(f[5]))
    return out


def compare_topics(snap, describe, end, low, topics):
    diffs, seen = [], 0
    by_name = {t["name"]: t for t in snap["topics"]}
    for topic in topics:
        if topic not in by_name:
            diffs.append(f"{topic}: missing from ksight")
            continue
        ks_parts = {p["partition"]: p for p in by_name[topic]["partitions"]}
        cli_parts = {k[1]: v for k, v in describe.items() if k[0] == topic}
        if sorted(ks_parts) != sorted(cli_parts):
            diffs.append(f"{topic}: partitions ksight={sorted(ks_parts)} kafka={sorted(cli_parts)}")
        for pid, (leader, reps, isr) in sorted(cli_parts.items()):
            p = ks_parts.get(pid)
            if p is None:
                continue
            seen += 1
            got = (p["leader"], p["replicas"], sorted(p["isr"]))
            if got != (leader, reps, isr):
                diffs.append(f"{topic}-{pid}: ksight leader/replicas/isr={got} kafka={(leader, reps, isr)}")
            if (topic, pid) in end and p["high"] != end[(topic, pid)]:
                diffs.append(f"{topic}-{pid}: ksight high={p['high']} kafka={end[(topic, pid)]}")
            if (topic, pid) in low and p["low"] != low[(topic, pid)]:
                diffs.append(f"{topic}-{pid}: ksight low={p['low']} kafka={low[(topic, pid)]}")
    return diffs, seen


def compare_groups(snap, cli, groups):
    diffs, seen = [], 0
    by_id = {g["group"]: g for g in snap["groups"]}
    for group in groups:
        if group not in by_id:
            diffs.append(f"{group}: missing from ksight")
            continue
        ks = {(o["topic"], o["partition"]): (o["committed"], o["end"], o["lag"])
              for o in by_id[group]["offsets"]}
        ref = {(k[1], k[2]): v for k, v in cli.items() if k[0] == group}
        if not ref:
            diffs.append(f"{group}: Kafka's CLI shows no offsets (test setup?)")
        if sorted(ks) != sorted(ref):
            diffs.append(f"{group}: partitions ksight={sorted(ks)} kafka={sorted(ref)}")
        for key, want in sorted(ref.items()):
            seen += 1
            if ks.get(key) != want:
                diffs.append(f"{group} {key[0]}-{key[1]}: ksight committed/end/lag={ks.get(key)} kafka={want}")
        lags = [v[2] for v in ref.values() if v[2] is not None]
        total = sum(lags) if lags else None
        if by_id[group]["lag"] != total:
            diffs.append(f"{group}: ksight total lag={by_id[group]['lag']} kafka sum={total}")
    return diffs, seen


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    snap = json.load(open(argv[2]))
    if argv[1] == "topics":
        diffs, seen = compare_topics(snap, parse_describe(open(argv[3]).read()),
                                     parse_offsets(open(argv[4]).read()),
                                     parse_offsets(open(argv[5]).read()), argv[6:])
    elif argv[1] == "groups":
        diffs, seen = compare_groups(snap, parse_groups(open(argv[3]).read()), argv[4:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for d in diffs:
        print("DIFF " + d)
    print(f"compared {seen} {argv[1][:-1]} partitions: {len(diffs)} differences")
    return 1 if diffs or seen == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
