# lib.sh: shared helpers for the integration scenarios (sourced, not run).
# A scenario exits 0 (pass), 1 (fail) or 77 (skip: the lab it needs is not up).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KSIGHT=${KSIGHT_BIN:-$ROOT/build/ksight}
LAB=$ROOT/lab/lab.sh
COMPARE=$ROOT/tests/integration/lib/kafka_compare.py
RUN_ID=${RUN_ID:-$(date +%s)$$}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ksight-it.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say()  { printf '  %s\n' "$*"; }
fail() { printf '  FAIL: %s\n' "$*"; exit 1; }
skip() { printf '  SKIP: %s\n' "$*"; exit 77; }

lab_env() {
    eval "$("$LAB" env)"
    "$LAB" status >/dev/null 2>&1 || skip "the lab is not up (lab/lab.sh up)"
}

tool() { "$LAB" tool "$@"; }

# ks ARGS...: ksight against the lab, with every source configured.
ks() {
    local extra=()
    [ -n "${ZOOKEEPER:-}" ] && extra+=(--zookeeper "$ZOOKEEPER")
    [ -n "${REGISTRY:-}" ] && extra+=(--registry "$REGISTRY")
    "$KSIGHT" -b "$BOOTSTRAP" "${extra[@]}" "$@"
}

# jq-like reads with python: jget FILE EXPR (EXPR uses `d` for the document)
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# wait_for TIMEOUT_S CMD...: retry CMD every 0.5 s until it succeeds.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

# produce TOPIC COUNT: COUNT keyed messages "k<i>:v<i>" with Kafka's console producer.
produce() {
    seq 1 "$2" | sed 's/.*/k&:value-&/' |
        tool kafka-console-producer --bootstrap-server "$BOOTSTRAP" --topic "$1" \
            --property parse.key=true --property key.separator=: \
            --producer-property acks=all >/dev/null
}

# consume_some GROUP TOPIC N: consume N messages from the start and commit (on close).
consume_some() {
    tool kafka-console-consumer --bootstrap-server "$BOOTSTRAP" --group "$1" --topic "$2" \
        --from-beginning --max-messages "$3" --timeout-ms 20000 >/dev/null 2>&1 || true
}

# kafka_state TOPICS...: Kafka's own view into $WORK/{describe,end,low}.txt
# (TopicCommand and GetOffsetShell take topic regexes: one JVM each).
kafka_state() {
    local re list
    re=$(IFS='|'; echo "$*")
    list=$(IFS=,; echo "$*")
    tool kafka-topics --bootstrap-server "$BOOTSTRAP" --describe --topic "$re" >"$WORK/describe.txt"
    tool kafka-get-offsets --bootstrap-server "$BOOTSTRAP" --topic-partitions "$list" --time -1 >"$WORK/end.txt" 2>/dev/null || true
    tool kafka-get-offsets --bootstrap-server "$BOOTSTRAP" --topic-partitions "$list" --time -2 >"$WORK/low.txt" 2>/dev/null || true
}

# compare_topics TOPICS...: Kafka's view and ksight's must be equal. The
# cluster may still be settling (ISR changes after a restart), so a
# difference is retried a few times before it counts.
compare_topics() {
    local try
    for try in 1 2 3 4 5; do
        kafka_state "$@"
        ks snapshot --json >"$WORK/snap.json" || true
        if python3 "$COMPARE" topics "$WORK/snap.json" "$WORK/describe.txt" "$WORK/end.txt" "$WORK/low.txt" "$@" >"$WORK/cmp.txt"; then
            sed 's/^/  /' "$WORK/cmp.txt"
            return 0
        fi
        sleep 2
    done
    sed 's/^/  /' "$WORK/cmp.txt"
    return 1
}

# compare_groups GROUPS...: committed, end and lag equal to kafka-consumer-groups.
compare_groups() {
    local try g args=()
    for g in "$@"; do args+=(--group "$g"); done
    for try in 1 2 3; do
        tool kafka-consumer-groups --bootstrap-server "$BOOTSTRAP" --describe "${args[@]}" >"$WORK/groups.txt" 2>/dev/null || true
        ks snapshot --json >"$WORK/snap.json" || true
        if python3 "$COMPARE" groups "$WORK/snap.json" "$WORK/groups.txt" "$@" >"$WORK/cmp.txt"; then
            sed 's/^/  /' "$WORK/cmp.txt"
            return 0
        fi
        sleep 2
    done
    sed 's/^/  /' "$WORK/cmp.txt"
    cat "$WORK/groups.txt" | head -30 | sed 's/^/  cli: /'
    return 1
}

# lab_exclusive: hold the lab lock for the rest of the scenario, so nothing
# else runs on the lab while a component is stopped. tests/run takes it once
# for the whole lab phase and sets KSIGHT_LAB_LOCKED.
lab_exclusive() {
    [ -n "${KSIGHT_LAB_LOCKED:-}" ] && return 0
    exec 9>/tmp/ksight-lab.lock
    flock 9
    export KSIGHT_LAB_LOCKED=1
}

# zk_field FILE EXPR: a value from the zookeeper section of a snapshot
zk_modes() { jget "$1" '",".join(s["mode"] for s in d["zookeeper"]["servers"])'; }
zk_quorum() { jget "$1" 'd["zookeeper"]["quorum"]'; }
