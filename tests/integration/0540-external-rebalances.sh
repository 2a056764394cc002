#!/usr/bin/env bash
# 0540: the rebalance timeline of an *external* group (not ksight's own):
# Python confluent-kafka consumers on a 6-partition topic go 1 -> 3 -> 2
# (one closes cleanly) -> 1 (one is killed with SIGKILL), while
# `ksight rebalances --json -i 1` watches. Each membership change must give a
# record, numbered as observed (increasing), with the coordinator's generation
# (read from __consumer_offsets, increasing), with the real member count, every
# record must end with each partition owned exactly once, and the killed
# member must be listed as left once its session (6 s) times out. Afterwards a
# new `ksight rebalances --history` must find the same generations, members
# and assignments in the coordinator's log.
source "$(dirname "$0")/lib.sh"
lab_env
source "$ROOT/tests/integration/lib/pyenv.sh"
pyenv_ensure || skip "no Python venv with confluent-kafka (PyPI unreachable?)"

# non-destructive: shares the lab with other readers
if [ -z "${KSIGHT_LAB_LOCKED:-}" ]; then
    exec 9>/tmp/ksight-lab.lock
    flock -s 9
fi

TOPIC=it-reb-ext-$RUN_ID
GROUP=it-reb-ext-$RUN_ID
OUT=$WORK/rebalances.jsonl
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    "$PY" "$ROOT/tests/integration/lib/tail_kafka.py" delete "$TOPIC" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT


member() {  # member CLIENT_ID: starts a consumer in the background; its pid in $MEMBER
    "$PY" "$ROOT/tests/integration/lib/group_member.py" "$BOOTSTRAP" "$GROUP" "$TOPIC" "$1" >"$WORK/$1.log" 2>&1 &
    MEMBER=$!
    PIDS+=("$MEMBER")
}

# wait_record MEMBERS [LEFT_CLIENT]: a record with members_after MEMBERS (and
# LEFT_CLIENT under "left") appears within 25 s.
has_record() {
    python3 - "$OUT" "$1" "${2:-}" <<'PY'
import json, sys
want, left = int(sys.argv[2]), sys.argv[3]
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["members_after"] == want and (not left or left in [m["client_id"] for m in r["left"]]):
        sys.exit(0)
sys.exit(1)
PY
}
wait_record() {
    wait_for 25 has_record "$@" || { sed 's/^/  out: /' "$OUT"; fail "no record with $1 member(s)${2:+ and $2 left}"; }
    say "seen: $1 member(s)${2:+, $2 left}"
}

"$PY" "$ROOT/tests/integration/lib/tail_kafka.py" create "$TOPIC" 6 2 || fail "cannot create $TOPIC"
t0=$(date +%s)
"$KSIGHT" -b "$BOOTSTRAP" rebalances --group "$GROUP" --json -i 1 --duration 45 \
    >"$OUT" 2>"$WORK/ksight.err" &
KS_PID=$!
# the same watch without the coordinator's log: observed numbers only
"$KSIGHT" -b "$BOOTSTRAP" --no-coordinator-log rebalances --group "$GROUP" --json -i 1 \
    --duration 45 >"$WORK/observed.jsonl" 2>"$WORK/observed.err" &
OBS_PID=$!
sleep 2 # the first poll is the baseline: the group does not exist yet

member reb-a; a=$MEMBER
wait_record 1
member reb-b; b=$MEMBER
member reb-c; c=$MEMBER
wait_record 3
kill -TERM "$c"
wait "$c" 2>/dev/null || true
wait_record 2 reb-c
kill -KILL "$b"
{ wait "$b"; } 2>/dev/null || true # no "Killed" line from bash
wait_record 1 reb-b
say "membership steps done in $(( $(date +%s) - t0 )) s"
kill -TERM "$a"
wait "$a" 2>/dev/null || true

# --duration: the run ends by itself, with status 0
rc=0
wait "$KS_PID" || rc=$?
sed 's/^/  stderr: /' "$WORK/ksight.err" | head -5
[ "$rc" -eq 0 ] || fail "ksight rebalances exited $rc"
wait "$OBS_PID" || fail "ksight --no-coordinator-log rebalances failed"
python3 - "$WORK/observed.jsonl" <<'PY' || fail "--no-coordinator-log still gave generations"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
print("  without the coordinator's log: %d records, generations %s"
      % (len(recs), [r["generation"] for r in recs]))
sys.exit(0 if recs and all(r["generation"] is None and r["generation_observed"] for r in recs) else 1)
PY

python3 - "$OUT" "$GROUP" <<'PY' || fail "the records are wrong"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
group = sys.argv[2]
ok = True
def bad(msg):
    global ok
    ok = False
    print("  FAIL:", msg)
seqs = [r["seq"] for r in recs]
print("  records: " + ", ".join("#%d %d->%d%s" % (r["seq"], r["members_before"], r["members_after"],
      " left " + "/".join(m["client_id"] for m in r["left"]) if r["left"] else "") for r in recs))
if any(r["group"] != group for r in recs):
    bad("a record of another group")
if seqs != sorted(set(seqs)) or seqs[0] != 1:
    bad("observed sequence not increasing from 1: %s" % seqs)
gens = [r["generation"] for r in recs]
print("  generations (coordinator log): %s" % gens)
if any(g is None for g in gens) or any(r["generation_observed"] for r in recs):
    bad("a record without the coordinator's generation: %s" % gens)
elif gens != sorted(set(gens)):
    bad("generations not increasing: %s" % gens)
for r in recs:
    if r["members_after"] == 0:
        continue  # the last member stopping: the group went Empty
    if r["cover_ok"] is not True:
        bad("#%d: cover_ok is %s" % (r["seq"], r["cover_ok"]))
    owned = sorted(tp["partition"] for a in r["assignments"].values() for tp in a["owned"])
    if owned != list(range(6)):
        bad("#%d: partitions owned after: %s" % (r["seq"], owned))
    live = [m for m, a in r["assignments"].items() if m not in [x["member_id"] for x in r["left"]]]
    if len(live) != r["members_after"]:
        bad("#%d: %d members listed, members_after %d" % (r["seq"], len(live), r["members_after"]))
    if r["seq"] > 1 and (r["stopped_min_ms"] is None or r["stopped_min_ms"] > r["stopped_max_ms"]):
        bad("#%d: stopped %s-%s" % (r["seq"], r["stopped_min_ms"], r["stopped_max_ms"]))
# the membership went 1 -> 3 -> 2 -> 1, through 2 if b and c joined one after the other
after = [r["members_after"] for r in recs if r["members_after"]]
steps = [1, 3, 2, 1]
it = iter(after)
if not all(any(x == s for x in it) for s in steps):
    bad("members_after %s does not go through %s" % (after, steps))
left = {m["client_id"]: r for r in recs for m in r["left"]}
if "reb-c" not in left or left["reb-c"]["members_after"] != 2:
    bad("the member that closed is not listed as left when 3 became 2")
if "reb-b" not in left or left["reb-b"]["members_after"] != 1:
    bad("the killed member is not listed as left when 2 became 1")
sys.exit(0 if ok else 1)
PY

# After the fact, a new ksight finds the same rebalances in the coordinator's
# log (--history): each generation with the members and the assignments the
# live watch saw, marked replayed. The live watch's first record (the group's
# first generation) is in both; so is every later one.
"$KSIGHT" -b "$BOOTSTRAP" rebalances --group "$GROUP" --history --json -i 1 --duration 4 \
    >"$WORK/history.jsonl" 2>"$WORK/history.err" || fail "ksight rebalances --history failed"
"$KSIGHT" -b "$BOOTSTRAP" rebalances --group "$GROUP" --json -i 1 --duration 3 \
    >"$WORK/nohistory.jsonl" 2>/dev/null || fail "ksight rebalances (no --history) failed"
python3 - "$OUT" "$WORK/history.jsonl" "$WORK/nohistory.jsonl" <<'PY' || fail "the replayed history differs from what was watched"
import json, sys
live = [json.loads(l) for l in open(sys.argv[1])]
hist = [json.loads(l) for l in open(sys.argv[2])]
quiet = [json.loads(l) for l in open(sys.argv[3])]
ok = True
def bad(msg):
    global ok
    ok = False
    print("  FAIL:", msg)
def owned(r):
    return {a["client_id"]: sorted(tp["partition"] for tp in a["owned"])
            for a in r["assignments"].values() if a["owned"]}
def names(rs, key):
    return sorted(m["client_id"] for r in rs for m in r[key])
# a live record may span generations (a rebalance quicker than the polls):
# it must match the replayed ones from the generation after the previous
# live record's up to its own, taken together
def shape(first, last, rs):
    return (first["members_before"], last["members_after"], names(rs, "joined"),
            names(rs, "left"), owned(last))
print("  replayed: " + ", ".join("gen %s %d->%d" % (r["generation"], r["members_before"],
      r["members_after"]) for r in hist))
if quiet:
    bad("without --history, %d old records were printed" % len(quiet))
if not hist or not all(r["replayed"] for r in hist):
    bad("no replayed records, or some not marked replayed")
if any(r["replayed"] for r in live):
    bad("the live watch printed replayed records")
by_gen = {r["generation"]: r for r in hist}
prev = 0
for r in live:
    span = [by_gen[g] for g in range(prev + 1, r["generation"] + 1) if g in by_gen]
    prev = r["generation"]
    if r["generation"] not in by_gen:
        bad("generation %s (seen live) is not in the history" % r["generation"])
        continue
    want = shape(r, r, [r])
    got = shape(span[0], span[-1], span)
    if got != want:
        bad("generation %s: live %s, replayed %s" % (r["generation"], want, got))
    elif span[-1]["cover_ok"] != r["cover_ok"]:
        bad("generation %s: cover_ok live %s, replayed %s" % (r["generation"], r["cover_ok"], span[-1]["cover_ok"]))
if hist and any(r["stopped_min_ms"] is not None for r in hist):
    bad("a replayed record claims a consumption gap")
print("  %d generations watched live, the same %d in the replayed history" % (len(live), len(by_gen)))
sys.exit(0 if ok else 1)
PY
exit 0
