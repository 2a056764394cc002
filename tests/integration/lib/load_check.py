#!/usr/bin/env python3
"""Checks on a `ksight load --report` document for the load scenarios.

  load_check.py schedule REPORT N1,N2,...  [--strict]
      the group's rebalance timeline went through member counts N1, N2, ...
      in that order; each step ends with a complete rebalance in which every
      partition is owned by exactly one member (--strict: every complete
      rebalance, as with eager assignors); every rebalance that assigned
      partitions names its generation, and generations only increase.
  load_check.py kill REPORT MEMBER SESSION_MS
      the rebalance caused by killing MEMBER started no sooner than about
      the session timeout after the kill, and ended with every partition
      owned once; a clean leave (if any) was noticed at once.
Prints what it saw; exits 1 on the first failed check.
"""
import json
import sys


def live(rec):
    return [m for m in rec["members"] if m["reported"] and not m["gone"]]


def show(rec):
    owners = ", ".join("m%d:%s" % (m["member"], ",".join(map(str, m["owned"])) or "-")
                       for m in rec["members"] if m["owned"])
    return "#%d gen %s %-8s %-5s stop %s ms [%s] (%s)" % (
        rec["seq"], rec["generation"], "complete" if rec["complete"] else "partial",
        "cover" if rec["cover_ok"] else "-", rec["stopped_ms"], owners, rec["cause"])


def fail(msg):
    print("  FAIL: " + msg)
    sys.exit(1)


def assigned(recs):
    return [r for r in recs if any(m["reported"] for m in r["members"])]


def check_generations(recs):
    gens = [r["generation"] for r in assigned(recs)]
    if any(g is None for g in gens):
        fail("a rebalance has no generation: %s" % gens)
    if gens != sorted(set(gens)):
        fail("generations do not increase: %s" % gens)
    print("  generations: %s" % " ".join(map(str, gens)))


def schedule(report, counts, strict):
    d = json.load(open(report))
    recs = d["rebalances"]
    for r in recs:
        print("  " + show(r))
    check_generations(recs)
    complete = [r for r in recs if r["complete"]]
    if strict:
        bad = [r["seq"] for r in complete if not r["cover_ok"]]
        if bad:
            fail("complete rebalances %s leave a partition unowned or owned twice" % bad)
    # walk the complete rebalances; a step is reached when a covering one has
    # that many live members, and the last complete one of a step must cover
    i = 0
    for step, n in enumerate(counts):
        seen = False
        while i < len(complete):
            r = complete[i]
            if len(live(r)) != n:
                if seen:
                    break
                i += 1
                continue
            seen = True
            last = r
            i += 1
        if not seen:
            fail("no complete rebalance with %d members (step %d)" % (n, step + 1))
        if not last["cover_ok"]:
            fail("step %d ends with rebalance #%d not covering every partition once"
                 % (step + 1, last["seq"]))
        print("  step %d: %d members, ends with #%d gen %s, every partition owned once"
              % (step + 1, n, last["seq"], last["generation"]))


def kill(report, member, session_ms):
    d = json.load(open(report))
    recs = d["rebalances"]
    for r in recs:
        print("  " + show(r) + "  noticed after %.1f s" % ((r["start_ms"] - r["trigger_ms"]) / 1000))
    check_generations(recs)
    killed = [r for r in recs if "member %d killed" % member in r["cause"]]
    if not killed:
        fail("no rebalance caused by the kill of member %d" % member)
    r = killed[0]
    noticed = r["start_ms"] - r["trigger_ms"]
    if noticed < 0.8 * session_ms:
        fail("the group rebalanced %d ms after the kill: sooner than the session timeout "
             "(%d ms), as if the member had left" % (noticed, session_ms))
    if noticed > session_ms + 15000:
        fail("the group took %d ms to notice the kill" % noticed)
    if not (r["complete"] and r["cover_ok"]):
        fail("after the kill, the partitions are not all owned once")
    if r["stopped_ms"] is None or r["stopped_ms"] < 0.8 * session_ms:
        fail("the killed member's partitions should have stopped for about the session "
             "timeout (stopped_ms %s)" % r["stopped_ms"])
    print("  kill: noticed after %.1f s (session timeout %.1f s), its partitions stopped %.1f s"
          % (noticed / 1000, session_ms / 1000, r["stopped_ms"] / 1000))
    left = [r for r in recs if " left" in r["cause"] and "killed" not in r["cause"]
            and any(m["reported"] for m in r["members"])]
    if left:
        r = left[0]
        noticed = r["start_ms"] - r["trigger_ms"]
        if noticed > 0.5 * session_ms:
            fail("a clean leave (LeaveGroup) took %d ms to be noticed" % noticed)
        print("  clean leave: noticed after %.1f s" % (noticed / 1000))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "schedule":
        schedule(sys.argv[2], [int(x) for x in sys.argv[3].split(",")], "--strict" in sys.argv)
    elif len(sys.argv) == 5 and sys.argv[1] == "kill":
        kill(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        print(__doc__)
        sys.exit(2)
