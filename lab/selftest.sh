#!/usr/bin/env bash
# Exercise lab/lab.sh end to end and print timings.
#
#   lab/selftest.sh            # uses KSIGHT_LAB_DIR / KSIGHT_LAB_PORT_OFFSET if set
#
# It RESETS the lab it points at (wipes its data dir) and leaves it down.
# To run next to a lab that others are using, isolate it, e.g.
#   KSIGHT_LAB_DIR=/tmp/labtest KSIGHT_LAB_PORT_OFFSET=10000 lab/selftest.sh

# eval strings below are expanded when the check runs, not when written:
# shellcheck disable=SC2016

set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.sh
STEP_T0=0
FAILURES=0
declare -a TIMINGS=()

lab() { "$LAB" "$@"; }
tool() { "$LAB" tool "$@"; }
now() { date +%s.%N; }
begin() { printf '\n== %s\n' "$*"; STEP_T0=$(now); }
took() {  # took LABEL: record the time since begin
    local t
    t=$(awk -v a="$STEP_T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    TIMINGS+=("$(printf '%-40s %6s s' "$1" "$t")")
    echo "   ($1: $t s)"
}
ok()   { echo "   ok: $*"; }
fail() { echo "   FAIL: $*"; FAILURES=$((FAILURES + 1)); }
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# Read the lab's endpoints (again after each `up`: ZOOKEEPER depends on the mode).
read_env() {
    eval "$(lab env)"
    IFS=, read -r -a BROKERS <<<"$BOOTSTRAP"
    IFS=, read -r -a ZKS <<<"$ZOOKEEPER"
    B1=${BROKERS[0]}
}

srvr() {  # srvr N: the srvr answer of ZooKeeper node N
    local hp=${ZKS[$(($1 - 1))]:?no ZooKeeper endpoints}
    timeout 3 bash -c "exec 3<>/dev/tcp/${hp%:*}/${hp#*:} && printf srvr >&3 && cat <&3" 2>/dev/null || true
}
zk_mode() { srvr "$1" | sed -n 's/^Mode: //p'; }
zk_leader() {
    local n
    for n in 1 2 3; do [[ $(zk_mode "$n") == leader ]] && { echo "$n"; return 0; }; done
    return 1
}

# until_true TIMEOUT COMMAND...: poll every 0.5 s
until_true() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

isr_full() {  # every partition of topic $1 has 3 in-sync replicas
    local out
    out=$(tool kafka-topics --bootstrap-server "$B1" --describe --topic "$1" 2>/dev/null) || return 1
    [[ $(grep -c 'Partition:' <<<"$out") -gt 0 ]] &&
        ! grep 'Partition:' <<<"$out" | grep -qvE 'Isr: [0-9]+,[0-9]+,[0-9]+'
}

produce_consume() {  # produce_consume TOPIC TAG: 2 messages with acks=all, read them back
    local topic=$1 tag=$2 got
    printf '%s-a\n%s-b\n' "$tag" "$tag" |
        tool kafka-console-producer --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
            --producer-property acks=all || return 1
    got=$(tool kafka-console-consumer --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
        --from-beginning --timeout-ms 8000 2>/dev/null | grep -c "^$tag-" || true)
    [[ $got -eq 2 ]]
}

registry_roundtrip() {
    local schema='{"type":"record","name":"Lab","fields":[{"name":"a","type":"int"}]}'
    local body resp id back
    body=$(printf '{"schema":"%s"}' "${schema//\"/\\\"}")
    resp=$(curl -sf -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
        --data "$body" "$REGISTRY/subjects/lab-value/versions") || return 1
    id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$resp")
    echo "   registered: $resp"
    [[ -n $id ]] || return 1
    back=$(curl -sf "$REGISTRY/schemas/ids/$id") || return 1
    echo "   GET /schemas/ids/$id: $back"
    [[ $back == *'\"name\":\"Lab\"'* ]]
}

no_lab_processes() {
    local data
    data=$(lab status 2>/dev/null | sed -n 's/^mode: .*data: //p')
    ! grep -lzxF -- "-Dksight.lab.dir=$data" /proc/[0-9]*/cmdline >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
begin "reset"
lab reset

begin "up (ZooKeeper mode)"
lab up
took "up (zk mode, fresh data)"
read_env
check "env: ZOOKEEPER is set in ZooKeeper mode" test -n "$ZOOKEEPER"
check "status exit code 0" lab status
lab env

begin "topic, produce, consume"
tool kafka-topics --bootstrap-server "$B1" --create --topic t --partitions 3 --replication-factor 3
tool kafka-topics --bootstrap-server "$B1" --describe --topic t
check "produce 2 with acks=all and consume them" produce_consume t first

begin "schema registry"
check "register a schema, read it back by id" registry_roundtrip

begin "stop-broker 2"
lab stop-broker 2
took "stop-broker 2"
check "produce with acks=all while broker 2 is down" produce_consume t while2down
begin "start-broker 2"
lab start-broker 2
took "start-broker 2 (after SIGTERM)"
check "ISR full again within 60 s" until_true 60 isr_full t
took "start-broker 2 until ISR full"

begin "kill-broker 3 / start-broker 3"
lab kill-broker 3
STEP_T0=$(now)
lab start-broker 3
took "start-broker 3 (after SIGKILL)"
check "ISR full again within 60 s" until_true 60 isr_full t
check "produce/consume after restarts" produce_consume t afterkill

begin "stop the ZooKeeper leader"
leader=$(zk_leader) || { fail "no ZooKeeper leader"; leader=3; }
echo "   leader is zk$leader"
STEP_T0=$(now)
lab stop-zk "$leader"
check "a new leader is elected within 30 s" until_true 30 zk_leader
took "stop-zk leader until a new leader serves"
echo "   new leader is zk$(zk_leader || echo '?')"
begin "start-zk $leader"
lab start-zk "$leader"
took "start-zk (rejoin)"
check "zk$leader is a follower" test "$(zk_mode "$leader")" = follower

begin "stop two ZooKeeper nodes"
lab stop-zk 1
lab stop-zk 2
check "zk3 says it is not serving" until_true 15 eval 'srvr 3 | grep -q "This ZooKeeper instance is not currently serving requests"'
srvr 3
lab status || true
begin "start them again"
lab start-zk 1
lab start-zk 2
took "start-zk 1 and 2 (quorum back)"
check "all three have a Mode" until_true 15 eval '[[ -n $(zk_mode 1) && -n $(zk_mode 2) && -n $(zk_mode 3) ]]'
check "brokers 1,2,3 registered again within 30 s" until_true 30 eval 'grep -qF "/brokers/ids): [1, 2, 3]" <<<"$(lab status || true)"'
check "produce/consume after ZooKeeper outage" produce_consume t afterzk

begin "registry stop/start"
lab stop-registry
STEP_T0=$(now)
lab start-registry
took "start-registry"
check "registry answers" curl -sf -o /dev/null "$REGISTRY/subjects"

begin "down while ZooKeeper has no quorum, then up"
lab stop-zk 1
lab stop-zk 3
lab down
check "no lab process left" no_lab_processes
STEP_T0=$(now)
lab up
took "up after a down without ZooKeeper quorum"
check "status exit code 0" lab status
check "produce/consume" produce_consume t afterhard

begin "up again is idempotent"
before=$( (lab status || true) | grep -c ' up ')
lab up
took "up while already up"
after=$( (lab status || true) | grep -c ' up ')
check "still 7 processes" test "$before" = 7 -a "$after" = 7

begin "down"
lab down
took "down (zk mode)"
check "no lab process left" no_lab_processes
check "status says down (exit code 1)" eval '! lab status >/dev/null'

begin "up on existing data (zk)"
lab up
took "up (zk mode, existing data)"
check "topic t survived" eval 'tool kafka-topics --bootstrap-server "$B1" --list | grep -qx t'
lab down

begin "up --kraft"
lab up --kraft
took "up --kraft (fresh KRaft data)"
read_env
check "env: ZOOKEEPER is empty in KRaft mode" test -z "$ZOOKEEPER"
lab status
tool kafka-topics --bootstrap-server "$B1" --create --topic k --partitions 3 --replication-factor 3
tool kafka-topics --bootstrap-server "$B1" --describe --topic k
check "produce/consume (KRaft)" produce_consume k kraft
check "registry (KRaft mode)" registry_roundtrip
tool kafka-metadata-quorum --bootstrap-server "$B1" describe --status
begin "KRaft: stop-broker 2 / start-broker 2"
lab stop-broker 2
STEP_T0=$(now)
lab start-broker 2
took "KRaft start-broker 2 (after SIGTERM)"
begin "KRaft: kill-broker 3 / start-broker 3"
lab kill-broker 3
STEP_T0=$(now)
lab start-broker 3
took "KRaft start-broker 3 (after SIGKILL)"
check "ISR full again within 60 s" until_true 60 isr_full k
check "produce/consume after restarts (KRaft)" produce_consume k kraft2

begin "down (KRaft)"
lab down
took "down (kraft mode)"
check "no lab process left" no_lab_processes

printf '\n== timings\n'
printf '%s\n' "${TIMINGS[@]}"
printf '\nselftest: %d failure(s)\n' "$FAILURES"
((FAILURES == 0))
