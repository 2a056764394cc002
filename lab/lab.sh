#!/usr/bin/env bash
# ksight test lab: a small Kafka estate on loopback, without Docker.
#
#   ZooKeeper mode (default): 3-node ZooKeeper ensemble + 3 brokers + schema registry
#   KRaft mode (up --kraft):  3 combined broker/controller nodes + schema registry
#
# Everything runs from jars downloaded from Maven Central (see lab/pom.xml).
# Data, configs and logs:  $KSIGHT_LAB_DIR   (default lab/.data)
# Downloaded jars:         $KSIGHT_LAB_CACHE (default lab/.cache)
# Port shift (second lab): $KSIGHT_LAB_PORT_OFFSET (default 0)
#
# Run `lab.sh help` for the commands; docs/lab.md has the details.

set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$LAB_HOME/pom.xml"

# ---------------------------------------------------------------------------
# Topology (the workbook's ports; KSIGHT_LAB_PORT_OFFSET shifts all of them,
# e.g. 10000 runs a second, independent lab on 12181/19092/18081...)
# ---------------------------------------------------------------------------
HOST=127.0.0.1
NODES=(1 2 3)
PORT_OFFSET=${KSIGHT_LAB_PORT_OFFSET:-0}
if ! [[ $PORT_OFFSET =~ ^[0-9]+$ ]] || ((PORT_OFFSET >= 50000)); then
    echo "lab.sh: error: KSIGHT_LAB_PORT_OFFSET must be a number below 50000" >&2
    exit 1
fi
ZK_CLIENT_PORTS=([1]=2181 [2]=2182 [3]=2183)
ZK_QUORUM_PORTS=([1]=2888 [2]=2889 [3]=2890)
ZK_ELECTION_PORTS=([1]=3888 [2]=3889 [3]=3890)
BROKER_PORTS=([1]=9092 [2]=9093 [3]=9094)
CONTROLLER_PORTS=([1]=9192 [2]=9193 [3]=9194)     # KRaft only
REGISTRY_PORT=$((8081 + PORT_OFFSET))
REGISTRY_PATH=/apis/ccompat/v7
for n in "${NODES[@]}"; do
    ZK_CLIENT_PORTS[n]=$((ZK_CLIENT_PORTS[n] + PORT_OFFSET))
    ZK_QUORUM_PORTS[n]=$((ZK_QUORUM_PORTS[n] + PORT_OFFSET))
    ZK_ELECTION_PORTS[n]=$((ZK_ELECTION_PORTS[n] + PORT_OFFSET))
    BROKER_PORTS[n]=$((BROKER_PORTS[n] + PORT_OFFSET))
    CONTROLLER_PORTS[n]=$((CONTROLLER_PORTS[n] + PORT_OFFSET))
done
unset n

BOOTSTRAP="$HOST:${BROKER_PORTS[1]},$HOST:${BROKER_PORTS[2]},$HOST:${BROKER_PORTS[3]}"
ZOOKEEPER="$HOST:${ZK_CLIENT_PORTS[1]},$HOST:${ZK_CLIENT_PORTS[2]},$HOST:${ZK_CLIENT_PORTS[3]}"
REGISTRY_URL="http://$HOST:$REGISTRY_PORT$REGISTRY_PATH"

ZK_SESSION_TIMEOUT_MS=6000

# Heaps and JVM flags
ZK_JVM=(-Xms32m -Xmx128m -XX:+UseSerialGC)
BROKER_JVM=(-Xms128m -Xmx512m -XX:+UseSerialGC)
REGISTRY_JVM=(-Xms64m -Xmx256m -XX:+UseSerialGC)
TOOL_JVM=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)
COMMON_JVM=(-Djava.awt.headless=true -XX:+ExitOnOutOfMemoryError)

# Readiness timeouts (seconds)
ZK_WAIT=60
BROKER_WAIT=120
REGISTRY_WAIT=120
# SIGTERM grace before SIGKILL (seconds)
ZK_STOP_WAIT=15
BROKER_STOP_WAIT=45
BROKER_STOP_WAIT_NO_QUORUM=5           # no ZooKeeper quorum / last KRaft node
BROKER_STOP_WAIT_NO_QUORUM_KRAFT=20    # KRaft, all nodes at once (down)
REGISTRY_STOP_WAIT=20

# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------
abs_dir() {  # make a directory and print its absolute path
    mkdir -p "$1" && (cd "$1" && pwd)
}

DATA=$(abs_dir "${KSIGHT_LAB_DIR:-$LAB_HOME/.data}")
CACHE=$(abs_dir "${KSIGHT_LAB_CACHE:-$LAB_HOME/.cache}")
CONF="$DATA/conf"
RUN="$DATA/run"
LOGS="$DATA/logs"
LIB="$CACHE/lib"
MODE_FILE="$DATA/mode"
MARKER_FILE="$DATA/.ksight-lab"

pom_property() {  # read <NAME>value</NAME> from lab/pom.xml
    sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$POM" | head -n1
}
KAFKA_VERSION=$(pom_property kafka.version)
REGISTRY_VERSION=$(pom_property apicurio.version)
REGISTRY_HOME="$CACHE/registry-$REGISTRY_VERSION"

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
log()  { printf '%s\n' "$*" >&2; }
die()  { printf 'lab.sh: error: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed${2:+ ($2)}"
}

# kcat (Debian package) makes readiness checks cheap; KSIGHT_LAB_NO_KCAT=1
# forces the slower Java fallback.
have_kcat() { [[ -z ${KSIGHT_LAB_NO_KCAT:-} ]] && command -v kcat >/dev/null 2>&1; }

check_node() {
    case "${1:-}" in
        1|2|3) ;;
        *) die "node number must be 1, 2 or 3 (got '${1:-}')" ;;
    esac
}

lock_lab() {  # serialise commands that start/stop things
    mkdir -p "$DATA"
    exec 9>"$DATA/.lock"
    flock -w 600 9 || die "another lab.sh command holds $DATA/.lock"
}

current_mode() {  # zk or kraft: the mode of the running (or last started) lab
    if [[ -s $MODE_FILE ]]; then cat "$MODE_FILE"; else echo zk; fi
}

# true if something accepts TCP connections on 127.0.0.1:PORT
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# ---------------------------------------------------------------------------
# Downloads (Maven Central through mvn)
# ---------------------------------------------------------------------------
# Downloads are serialised on their own lock (fd 8): `tool` may run them
# without holding the lab lock.
lock_downloads() {
    exec 8>"$CACHE/.download.lock"
    flock -w 900 8 || die "another lab.sh is downloading (lock $CACHE/.download.lock)"
}
unlock_downloads() { exec 8>&-; }

# run_mvn GOAL ARGS...: mvn on lab/pom.xml, output in $CACHE/mvn.log
run_mvn() {
    if ! mvn -B -Dstyle.color=never -f "$POM" "$@" >"$CACHE/mvn.log" 2>&1; then
        grep -E 'ERROR|BUILD' "$CACHE/mvn.log" | head -n 20 >&2 || true
        die "mvn $1 failed (full output: $CACHE/mvn.log)"
    fi
}

jars_ready() { [[ -f $LIB/.complete && $(<"$LIB/.complete") == "kafka=$KAFKA_VERSION" ]]; }

ensure_jars() {
    jars_ready && return 0
    lock_downloads
    if jars_ready; then unlock_downloads; return 0; fi
    download_jars
    unlock_downloads
}

download_jars() {
    local want="kafka=$KAFKA_VERSION"
    need mvn "apt-get install maven"
    log "downloading Kafka $KAFKA_VERSION jars from Maven Central into $LIB ..."
    local t0; t0=$(now)
    rm -rf "$LIB.tmp"
    run_mvn dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB.tmp"
    rm -rf "$LIB"
    mv "$LIB.tmp" "$LIB"
    echo "$want" >"$LIB/.complete"
    log "  jars ready ($(find "$LIB" -name '*.jar' | wc -l) files) in $(elapsed_since "$t0") s"
}

ensure_registry() {
    [[ -f $REGISTRY_HOME/.complete ]] && return 0
    lock_downloads
    if [[ -f $REGISTRY_HOME/.complete ]]; then unlock_downloads; return 0; fi
    download_registry
    unlock_downloads
}

download_registry() {
    need mvn "apt-get install maven"
    log "downloading Apicurio Registry $REGISTRY_VERSION from Maven Central ..."
    local t0 dl tarball
    t0=$(now)
    dl="$CACHE/download"
    run_mvn dependency:copy@registry -Dlab.download.dir="$dl"
    tarball="$dl/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
    [[ -f $tarball ]] || die "expected $tarball after download"
    rm -rf "$REGISTRY_HOME.tmp"
    mkdir -p "$REGISTRY_HOME.tmp"
    tar -xzf "$tarball" -C "$REGISTRY_HOME.tmp"
    rm -rf "$REGISTRY_HOME"
    mv "$REGISTRY_HOME.tmp" "$REGISTRY_HOME"
    rm -f "$tarball"
    echo "$REGISTRY_VERSION" >"$REGISTRY_HOME/.complete"
    log "  registry ready in $(elapsed_since "$t0") s"
}

# The registry's start jar: quarkus-run.jar (fast-jar, 3.2+) or *-runner.jar (3.0/3.1)
registry_jar() {
    local j
    if [[ -f $REGISTRY_HOME/quarkus-run.jar ]]; then
        echo "$REGISTRY_HOME/quarkus-run.jar"; return 0
    fi
    for j in "$REGISTRY_HOME"/*-runner.jar; do
        [[ -f $j ]] && { echo "$j"; return 0; }
    done
    die "no quarkus-run.jar or *-runner.jar in $REGISTRY_HOME"
}

# ---------------------------------------------------------------------------
# Generated configuration (rewritten on every start, lives in $DATA/conf)
# ---------------------------------------------------------------------------
write_log4j_configs() {
    mkdir -p "$CONF"
    # Servers: rolling files in ${kafka.logs.dir} (one directory per process).
    cat >"$CONF/log4j.properties" <<'EOF'
# generated by lab/lab.sh: server logging (ZooKeeper nodes and brokers)
log4j.rootLogger=INFO, main

log4j.appender.main=org.apache.log4j.RollingFileAppender
log4j.appender.main.File=${kafka.logs.dir}/server.log
log4j.appender.main.MaxFileSize=20MB
log4j.appender.main.MaxBackupIndex=2
log4j.appender.main.layout=org.apache.log4j.PatternLayout
log4j.appender.main.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.controller=org.apache.log4j.RollingFileAppender
log4j.appender.controller.File=${kafka.logs.dir}/controller.log
log4j.appender.controller.MaxFileSize=10MB
log4j.appender.controller.MaxBackupIndex=1
log4j.appender.controller.layout=org.apache.log4j.PatternLayout
log4j.appender.controller.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.stateChange=org.apache.log4j.RollingFileAppender
log4j.appender.stateChange.File=${kafka.logs.dir}/state-change.log
log4j.appender.stateChange.MaxFileSize=10MB
log4j.appender.stateChange.MaxBackupIndex=1
log4j.appender.stateChange.layout=org.apache.log4j.PatternLayout
log4j.appender.stateChange.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.logger.kafka.controller=TRACE, controller
log4j.additivity.kafka.controller=false
log4j.logger.state.change.logger=INFO, stateChange
log4j.additivity.state.change.logger=false

log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.org.apache.zookeeper=INFO
log4j.logger.org.apache.kafka.clients=WARN
EOF
    # Tools: warnings only, on stderr (stdout stays clean for the tool's output).
    cat >"$CONF/tools-log4j.properties" <<'EOF'
# generated by lab/lab.sh: CLI tool logging
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

write_zk_config() {
    local n=$1 dir="$DATA/zk/$1"
    mkdir -p "$dir" "$CONF"
    echo "$n" >"$dir/myid"
    cat >"$CONF/zk$n.cfg" <<EOF
# generated by lab/lab.sh: ZooKeeper node $n
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir
clientPort=${ZK_CLIENT_PORTS[$n]}
clientPortAddress=$HOST
server.1=$HOST:${ZK_QUORUM_PORTS[1]}:${ZK_ELECTION_PORTS[1]}
server.2=$HOST:${ZK_QUORUM_PORTS[2]}:${ZK_ELECTION_PORTS[2]}
server.3=$HOST:${ZK_QUORUM_PORTS[3]}:${ZK_ELECTION_PORTS[3]}
4lw.commands.whitelist=srvr,stat,mntr,ruok,conf
admin.enableServer=false
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
EOF
}

# Settings shared by ZooKeeper-mode brokers and KRaft nodes.
common_broker_properties() {
    cat <<EOF
num.partitions=3
default.replication.factor=3
# min.insync.replicas stays at Kafka's default (1): acks=all survives a broker down
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=6
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=33554432
log.retention.hours=168
EOF
}

write_broker_config() {
    local n=$1 dir="$DATA/kafka/$1"
    mkdir -p "$dir" "$CONF"
    {
        echo "# generated by lab/lab.sh: ZooKeeper-mode broker $n"
        echo "broker.id=$n"
        echo "listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$n]}"
        echo "advertised.listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$n]}"
        echo "log.dirs=$dir"
        echo "zookeeper.connect=$ZOOKEEPER"
        echo "zookeeper.session.timeout.ms=$ZK_SESSION_TIMEOUT_MS"
        echo "controlled.shutdown.retry.backoff.ms=1000"
        common_broker_properties
    } >"$CONF/server-$n.properties"
}

write_kraft_config() {
    local n=$1 dir="$DATA/kraft/$1" voters="" i
    mkdir -p "$dir" "$CONF"
    for i in "${NODES[@]}"; do
        voters+="${voters:+,}$i@$HOST:${CONTROLLER_PORTS[$i]}"
    done
    {
        echo "# generated by lab/lab.sh: KRaft combined broker+controller node $n"
        echo "process.roles=broker,controller"
        echo "node.id=$n"
        echo "controller.quorum.voters=$voters"
        echo "listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$n]},CONTROLLER://$HOST:${CONTROLLER_PORTS[$n]}"
        echo "advertised.listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$n]}"
        echo "controller.listener.names=CONTROLLER"
        echo "inter.broker.listener.name=PLAINTEXT"
        echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
        echo "log.dirs=$dir"
        common_broker_properties
    } >"$CONF/kraft-$n.properties"
}

broker_config_file() {  # the config for broker N in the current mode
    if [[ $(current_mode) == kraft ]]; then
        echo "$CONF/kraft-$1.properties"
    else
        echo "$CONF/server-$1.properties"
    fi
}

# Format the KRaft log dirs once (cluster id kept in $DATA/kraft/cluster.id).
format_kraft_storage() {
    local id_file="$DATA/kraft/cluster.id" id n
    mkdir -p "$DATA/kraft"
    if [[ ! -s $id_file ]]; then
        tool_java kafka.tools.StorageTool random-uuid >"$id_file.tmp"
        mv "$id_file.tmp" "$id_file"
    fi
    id=$(tr -d '[:space:]' <"$id_file")
    for n in "${NODES[@]}"; do
        if [[ ! -f $DATA/kraft/$n/meta.properties ]]; then
            tool_java kafka.tools.StorageTool format --ignore-formatted \
                -t "$id" -c "$CONF/kraft-$n.properties" >/dev/null \
                || die "StorageTool format failed for node $n"
        fi
    done
}

# ---------------------------------------------------------------------------
# Processes: pid files in $DATA/run, every JVM tagged with -Dksight.lab.*
# ---------------------------------------------------------------------------
# The tag lets us tell our JVM from an unrelated process that reused the pid,
# and lets `down` find strays of *this* lab directory even without pid files.

pid_is_ours() {  # pid_is_ours PID NAME
    local f="/proc/$1/cmdline"
    grep -qzxF -- "-Dksight.lab.component=$2" "$f" 2>/dev/null &&
        grep -qzxF -- "-Dksight.lab.dir=$DATA" "$f" 2>/dev/null
}

component_pid() {  # print the pid of a running component, or fail
    local name=$1 f="$RUN/$1.pid" pid
    [[ -s $f ]] || return 1
    pid=$(<"$f")
    pid_is_ours "$pid" "$name" || return 1
    echo "$pid"
}

is_running() { component_pid "$1" >/dev/null; }

# Start a JVM in its own session, detached from our stdin/stdout/stderr.
# The subshell execs setsid, which execs java, so $! is the JVM's pid.
spawn() {  # spawn NAME WORKDIR LOGFILE JAVA_ARGS...
    local name=$1 workdir=$2 logfile=$3; shift 3
    local pid tries=0
    mkdir -p "$RUN" "$(dirname "$logfile")" "$workdir"
    echo "=== $(date '+%F %T') starting $name" >>"$logfile"
    (
        exec 8>&- 9>&-   # do not hand our locks (fds 8, 9) to a long-lived JVM
        cd "$workdir"
        exec setsid java "-Dksight.lab.component=$name" "-Dksight.lab.dir=$DATA" "$@" </dev/null >>"$logfile" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$RUN/$name.pid"
    # Until the exec has happened the pid still looks like bash: wait for it.
    while ! pid_is_ours "$pid" "$name" && kill -0 "$pid" 2>/dev/null && ((tries++ < 50)); do
        sleep 0.05
    done
}

# Send SIGTERM, wait up to TIMEOUT seconds, then SIGKILL.
stop_pids() {  # stop_pids TIMEOUT NAME...   (all named components in parallel)
    local timeout=$1; shift
    local name pid deadline
    local -A pids=()
    for name in "$@"; do
        if pid=$(component_pid "$name"); then
            pids[$name]=$pid
            kill -TERM "$pid" 2>/dev/null || true
        fi
        rm -f "$RUN/$name.pid"
    done
    ((${#pids[@]})) || return 0
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        local alive=0
        for name in "${!pids[@]}"; do
            kill -0 "${pids[$name]}" 2>/dev/null && alive=1
        done
        ((alive)) || return 0
        sleep 0.2
    done
    for name in "${!pids[@]}"; do
        if kill -0 "${pids[$name]}" 2>/dev/null; then
            log "  $name did not stop within ${timeout}s: SIGKILL"
            kill -KILL "${pids[$name]}" 2>/dev/null || true
        fi
    done
    for name in "${!pids[@]}"; do
        while kill -0 "${pids[$name]}" 2>/dev/null; do sleep 0.1; done
    done
}

# Any JVM still carrying this lab's tag (e.g. pid file lost): SIGKILL it.
# (grep exits 2 when a process vanishes while it reads /proc: ignore that.)
sweep_strays() {
    local files f pid
    files=$(grep -lzxF -- "-Dksight.lab.dir=$DATA" /proc/[0-9]*/cmdline 2>/dev/null) || true
    for f in $files; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [[ $pid == "$$" ]] && continue
        grep -qz -- '^-Dksight.lab.component=' "$f" 2>/dev/null || continue
        log "  killing stray lab process $pid"
        kill -KILL "$pid" 2>/dev/null || true
    done
}

died_early() {  # died_early NAME LOGFILE: fail with the log tail if NAME exited
    local name=$1 logfile=$2
    if ! is_running "$name"; then
        log "$name exited during startup; last lines of $logfile:"
        tail -n 25 "$logfile" >&2 || true
        return 0
    fi
    return 1
}

# ---------------------------------------------------------------------------
# ZooKeeper
# ---------------------------------------------------------------------------
zk_4lw() {  # zk_4lw N CMD: print a four-letter-word answer (empty if no answer)
    local port=${ZK_CLIENT_PORTS[$1]}
    timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$port && printf '%s' '$2' >&3 && cat <&3" 2>/dev/null || true
}

zk_mode() {  # leader | follower | standalone | not-serving | no-answer
    local out
    out=$(zk_4lw "$1" srvr)
    if [[ $out =~ Mode:\ ([a-z]+) ]]; then
        echo "${BASH_REMATCH[1]}"
    elif [[ $out == *"not currently serving"* ]]; then
        echo not-serving
    else
        echo no-answer
    fi
}

start_zk_process() {
    local n=$1 name="zk$1"
    if is_running "$name"; then return 0; fi
    if port_open "${ZK_CLIENT_PORTS[$n]}"; then
        die "port ${ZK_CLIENT_PORTS[$n]} is in use by a process that is not this lab's $name"
    fi
    write_zk_config "$n"
    spawn "$name" "$DATA/zk/$n" "$LOGS/$name/stdout.log" \
        "${ZK_JVM[@]}" "${COMMON_JVM[@]}" \
        -Dlog4j.configuration="file:$CONF/log4j.properties" \
        -Dkafka.logs.dir="$LOGS/$name" \
        -Dzookeeper.jmx.log4j.disable=true \
        -cp "$LIB/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$CONF/zk$n.cfg"
}

zk_has_quorum() {  # some node reports leader/follower/standalone
    local n
    for n in "${NODES[@]}"; do
        case $(zk_mode "$n") in leader|follower|standalone) return 0 ;; esac
    done
    return 1
}

zk_running_count() {
    local n c=0
    for n in "${NODES[@]}"; do is_running "zk$n" && c=$((c + 1)); done
    echo "$c"
}

wait_zk() {  # wait_zk N...: until each answers srvr with a Mode
    local deadline=$((SECONDS + ZK_WAIT)) n pending
    while :; do
        pending=()
        for n in "$@"; do
            died_early "zk$n" "$LOGS/zk$n/server.log" && die "zk$n failed to start"
            case $(zk_mode "$n") in
                leader|follower|standalone) ;;
                *) pending+=("$n") ;;
            esac
        done
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || die "ZooKeeper node(s) ${pending[*]} not serving after ${ZK_WAIT}s (see $LOGS/zk*/server.log)"
        sleep 0.3
    done
}

# Wait until N answers 4lw at all (used when no quorum is possible).
wait_zk_answers() {
    local n=$1 deadline=$((SECONDS + ZK_WAIT))
    until [[ -n $(zk_4lw "$n" ruok) ]]; do
        died_early "zk$n" "$LOGS/zk$n/server.log" && die "zk$n failed to start"
        ((SECONDS < deadline)) || die "zk$n does not answer after ${ZK_WAIT}s"
        sleep 0.3
    done
}

# ZooKeeper CLI (ZooKeeperMain) running one command, e.g. zk_cli ls /brokers/ids
# (stdout and stderr together: "Node does not exist" goes to stderr)
zk_cli() {
    timeout 20 java "${TOOL_JVM[@]}" -Dlog4j.configuration="file:$CONF/tools-log4j.properties" \
        -cp "$LIB/*" org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka \
        -server "$ZOOKEEPER" "$@" 2>&1
}

zk_broker_ids() {  # prints e.g. [1, 2, 3]; empty if ZooKeeper cannot be asked
    zk_cli ls /brokers/ids | grep -E '^\[[0-9, ]*\]$' | tail -n1 || true
}


# ---------------------------------------------------------------------------
# Brokers
# ---------------------------------------------------------------------------
# Metadata as broker N sees it: lines "broker ID ..." (kcat) or "ID" (Java tool).
# Prints the ids it lists, one per line, with "c" appended to the controller.
broker_metadata_ids() {
    local n=$1 port=${BROKER_PORTS[$1]} out
    if have_kcat; then
        out=$(timeout 10 kcat -L -b "$HOST:$port" -m 3 -X topic.metadata.refresh.interval.ms=-1 2>/dev/null) || return 1
        awk '$1 == "broker" && $3 == "at" { print $2 ($NF == "(controller)" ? "c" : "") }' <<<"$out"
    else
        out=$(tool_java kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$HOST:$port" 2>/dev/null) || return 1
        sed -n 's/^[^ ]* (id: \([0-9]*\) rack.*/\1/p' <<<"$out"
    fi
}

# Broker N is up when it serves metadata that lists itself (it has registered
# and the controller has told it about the cluster).
broker_ready() {
    local n=$1 ids
    ids=$(broker_metadata_ids "$n") || return 1
    grep -qE "^$n(c)?\$" <<<"$ids"
}

start_broker_process() {
    local n=$1 name="broker$1" mode cfg
    mode=$(current_mode)
    if is_running "$name"; then return 0; fi
    if port_open "${BROKER_PORTS[$n]}"; then
        die "port ${BROKER_PORTS[$n]} is in use by a process that is not this lab's $name"
    fi
    if [[ $mode == kraft ]]; then
        write_kraft_config "$n"
    else
        write_broker_config "$n"
    fi
    cfg=$(broker_config_file "$n")
    mkdir -p "$LOGS/$name"
    echo "=== $(date '+%F %T') starting $name ($mode mode)" >>"$LOGS/$name/server.log"
    spawn "$name" "$DATA" "$LOGS/$name/stdout.log" \
        "${BROKER_JVM[@]}" "${COMMON_JVM[@]}" \
        -Dlog4j.configuration="file:$CONF/log4j.properties" \
        -Dkafka.logs.dir="$LOGS/$name" \
        -cp "$LIB/*" kafka.Kafka "$cfg"
}

# wait_brokers N...: until each serves metadata listing itself, or has exited.
# The ones that exited are left in DIED.
DIED=()
wait_brokers() {
    local deadline=$((SECONDS + BROKER_WAIT)) n pending
    local -a todo=("$@")
    DIED=()
    while ((${#todo[@]})); do
        pending=()
        for n in "${todo[@]}"; do
            if ! is_running "broker$n"; then
                DIED+=("$n")
            elif ! broker_ready "$n"; then
                pending+=("$n")
            fi
        done
        todo=("${pending[@]}")
        ((${#todo[@]} == 0)) && break
        ((SECONDS < deadline)) || die "broker(s) ${todo[*]} not ready after ${BROKER_WAIT}s (see $LOGS/broker*/server.log)"
        sleep 0.5
    done
}

# The log of broker N since its last start
broker_log_since_start() {
    tac "$LOGS/broker$1/server.log" 2>/dev/null | sed '/^=== .* starting broker/q' || true
}

# After kill -9 (or a SIGKILL after a hung shutdown) in ZooKeeper mode,
# /brokers/ids/N stays until the old ZooKeeper session expires
# (zookeeper.session.timeout.ms, 6 s here; ZooKeeper keeps sessions across its
# own restarts). A broker started before that exits with NODEEXISTS.
# wait_stale_registrations N...: wait until none of N... is registered.
wait_stale_registrations() {
    local deadline=$((SECONDS + 40)) ids n stale said=""
    while :; do
        ids=$(zk_broker_ids | tr -d '[],')
        stale=()
        for n in "$@"; do
            grep -qw "$n" <<<"$ids" && stale+=("$n")
        done
        ((${#stale[@]} == 0)) && return 0
        if [[ -z $said ]]; then
            log "  waiting for the old ZooKeeper session of broker(s) ${stale[*]} to expire (/brokers/ids) ..."
            said=1
        fi
        ((SECONDS < deadline)) || { log "  /brokers/ids still lists ${stale[*]}; starting anyway"; return 0; }
        sleep 1
    done
}

# start_brokers N...: start the brokers and wait until each serves metadata.
# A ZooKeeper-mode broker that finds its id still registered by an old session
# (NODEEXISTS) exits; it is started again once that registration is gone.
start_brokers() {
    local attempt n
    local -a todo=("$@")
    for attempt in 1 2 3; do
        if [[ $(current_mode) == zk ]]; then
            local -a stopped=()
            for n in "${todo[@]}"; do is_running "broker$n" || stopped+=("$n"); done
            ((${#stopped[@]} == 0)) || wait_stale_registrations "${stopped[@]}"
        fi
        for n in "${todo[@]}"; do start_broker_process "$n"; done
        wait_brokers "${todo[@]}"
        ((${#DIED[@]} == 0)) && return 0
        todo=()
        for n in "${DIED[@]}"; do
            if ((attempt < 3)) && broker_log_since_start "$n" | grep -qiE 'NodeExists|node already exists'; then
                log "  broker$n found a stale /brokers/ids/$n registration; retrying"
                todo+=("$n")
            else
                log "broker$n exited during startup; last lines of $LOGS/broker$n/server.log:"
                tail -n 25 "$LOGS/broker$n/server.log" >&2 || true
                die "broker$n failed to start"
            fi
        done
    done
}

# ---------------------------------------------------------------------------
# Schema registry (Apicurio, in-memory storage)
# ---------------------------------------------------------------------------
registry_ready() { curl -sf -o /dev/null --max-time 3 "$REGISTRY_URL/subjects"; }

start_registry_process() {
    local jar
    if is_running registry; then return 0; fi
    if port_open "$REGISTRY_PORT"; then
        die "port $REGISTRY_PORT is in use by a process that is not this lab's registry"
    fi
    jar=$(registry_jar)
    mkdir -p "$DATA/registry/tmp"
    spawn registry "$DATA/registry" "$LOGS/registry/registry.log" \
        "${REGISTRY_JVM[@]}" "${COMMON_JVM[@]}" \
        -Djava.io.tmpdir="$DATA/registry/tmp" \
        -Dquarkus.http.host=$HOST \
        -Dquarkus.http.port=$REGISTRY_PORT \
        -Dapicurio.storage.kind=sql \
        -Dapicurio.storage.sql.kind=h2 \
        -jar "$jar"
}

wait_registry() {
    local deadline=$((SECONDS + REGISTRY_WAIT))
    until registry_ready; do
        died_early registry "$LOGS/registry/registry.log" && die "registry failed to start"
        ((SECONDS < deadline)) || die "registry not answering after ${REGISTRY_WAIT}s (see $LOGS/registry/registry.log)"
        sleep 0.3
    done
}

# ---------------------------------------------------------------------------
# Kafka CLI tools
# ---------------------------------------------------------------------------
tool_class() {  # workbook script name -> main class
    case $1 in
        kafka-topics)               echo org.apache.kafka.tools.TopicCommand ;;
        kafka-consumer-groups)      echo org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
        kafka-console-producer)     echo kafka.tools.ConsoleProducer ;;
        kafka-console-consumer)     echo org.apache.kafka.tools.consumer.ConsoleConsumer ;;
        kafka-configs)              echo kafka.admin.ConfigCommand ;;
        kafka-log-dirs)             echo org.apache.kafka.tools.LogDirsCommand ;;
        kafka-reassign-partitions)  echo org.apache.kafka.tools.reassign.ReassignPartitionsCommand ;;
        kafka-producer-perf-test)   echo org.apache.kafka.tools.ProducerPerformance ;;
        kafka-consumer-perf-test)   echo org.apache.kafka.tools.ConsumerPerformance ;;
        kafka-delete-records)       echo org.apache.kafka.tools.DeleteRecordsCommand ;;
        kafka-get-offsets)          echo org.apache.kafka.tools.GetOffsetShell ;;
        kafka-acls)                 echo kafka.admin.AclCommand ;;
        kafka-leader-election)      echo org.apache.kafka.tools.LeaderElectionCommand ;;
        kafka-broker-api-versions)  echo kafka.admin.BrokerApiVersionsCommand ;;
        kafka-dump-log)             echo kafka.tools.DumpLogSegments ;;
        kafka-metadata-quorum)      echo org.apache.kafka.tools.MetadataQuorumCommand ;;
        kafka-transactions)         echo org.apache.kafka.tools.TransactionsCommand ;;
        kafka-features)             echo org.apache.kafka.tools.FeatureCommand ;;
        kafka-storage)              echo kafka.tools.StorageTool ;;
        zookeeper-shell)            echo org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka ;;
        *.*)                        echo "$1" ;;   # a fully qualified class name
        *) return 1 ;;
    esac
}

TOOL_NAMES="kafka-topics kafka-consumer-groups kafka-console-producer kafka-console-consumer
kafka-configs kafka-log-dirs kafka-reassign-partitions kafka-producer-perf-test
kafka-consumer-perf-test kafka-delete-records kafka-get-offsets kafka-acls
kafka-leader-election kafka-broker-api-versions kafka-dump-log kafka-metadata-quorum
kafka-transactions kafka-features kafka-storage zookeeper-shell"

tool_java() {  # run a main class from the lab's jars in the foreground
    [[ -f $CONF/tools-log4j.properties ]] || write_log4j_configs
    java "${TOOL_JVM[@]}" -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$CONF/tools-log4j.properties" \
        -cp "$LIB/*" "$@"
}

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------
print_endpoints() {
    local mode; mode=$(current_mode)
    echo "mode:       $mode"
    echo "bootstrap:  $BOOTSTRAP"
    if [[ $mode == zk ]]; then
        echo "zookeeper:  $ZOOKEEPER"
    else
        echo "zookeeper:  (none: KRaft; controllers on $HOST:${CONTROLLER_PORTS[1]}-${CONTROLLER_PORTS[3]})"
    fi
    echo "registry:   $REGISTRY_URL"
    echo "data, logs: $DATA"
}

cmd_up() {
    local want=zk arg t0 have n
    for arg in "$@"; do
        case $arg in
            --kraft) want=kraft ;;
            --zk|--zookeeper) want=zk ;;
            *) die "up: unknown option '$arg'" ;;
        esac
    done
    need java "apt-get install openjdk-17-jre-headless"
    need curl
    lock_lab
    t0=$(now)
    touch "$MARKER_FILE"
    have=$(current_mode)
    if [[ $have != "$want" ]] && any_running; then
        log "the lab is running in $have mode: stopping it before starting $want mode"
        stop_all
    fi
    echo "$want" >"$MODE_FILE"
    ensure_jars
    ensure_registry
    write_log4j_configs

    # The registry does not depend on Kafka: start it first so its startup overlaps.
    start_registry_process

    if [[ $want == zk ]]; then
        for n in "${NODES[@]}"; do start_zk_process "$n"; done
        wait_zk "${NODES[@]}"
        log "  ZooKeeper ensemble serving ($(elapsed_since "$t0") s)"
    else
        for n in "${NODES[@]}"; do write_kraft_config "$n"; done
        format_kraft_storage
    fi

    start_brokers "${NODES[@]}"
    wait_controller
    log "  brokers ready ($(elapsed_since "$t0") s)"

    wait_registry
    log "  registry ready ($(elapsed_since "$t0") s)"

    # Final check through Kafka's own CLI (also proves the tool classpath works).
    tool_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --list >/dev/null \
        || die "kafka-topics --list failed"
    log "lab up in $(elapsed_since "$t0") s"
    print_endpoints
}

# Until some broker reports an active controller (needed for admin requests).
wait_controller() {
    local deadline=$((SECONDS + BROKER_WAIT)) n
    have_kcat || return 0   # the Java fallback cannot see the controller flag
    while ((SECONDS < deadline)); do
        for n in "${NODES[@]}"; do
            is_running "broker$n" || continue
            broker_metadata_ids "$n" 2>/dev/null | grep -q 'c$' && return 0
        done
        sleep 0.5
    done
    die "no active controller after ${BROKER_WAIT}s"
}

any_running() {
    local name
    for name in registry broker1 broker2 broker3 zk1 zk2 zk3; do
        is_running "$name" && return 0
    done
    return 1
}

# A broker's controlled shutdown needs the cluster's coordinator: ZooKeeper
# (ZooKeeper mode) or a controller quorum, i.e. 2 of the 3 KRaft nodes. Without
# it the JVM hangs (KRaft: up to minutes), so it gets little time before SIGKILL.
broker_stop_grace() {  # broker_stop_grace STOPPING...: seconds of SIGTERM grace
    local n others=0
    if [[ $(current_mode) == zk ]]; then
        if ! zk_has_quorum; then
            log "  ZooKeeper has no quorum: brokers get ${BROKER_STOP_WAIT_NO_QUORUM}s before SIGKILL"
            echo "$BROKER_STOP_WAIT_NO_QUORUM"; return
        fi
    else
        for n in "${NODES[@]}"; do
            [[ " $* " == *" $n "* ]] && continue
            is_running "broker$n" && others=$((others + 1))
        done
        if ((others == 0 && $# == 1)); then
            # The last KRaft node alone: no controller quorum, it always hangs.
            log "  no other KRaft node runs (no controller quorum): ${BROKER_STOP_WAIT_NO_QUORUM}s before SIGKILL"
            echo "$BROKER_STOP_WAIT_NO_QUORUM"; return
        elif ((others == 0)); then
            # All nodes together (down): usually ~7 s, but once two are gone
            # the remaining one may wait for a controller that will not answer.
            echo "$BROKER_STOP_WAIT_NO_QUORUM_KRAFT"; return
        fi
    fi
    echo "$BROKER_STOP_WAIT"
}

stop_all() {
    local grace=$BROKER_STOP_WAIT
    if any_broker_running; then
        grace=$(broker_stop_grace 1 2 3)
    fi
    # Brokers and registry together, ZooKeeper last (brokers need it to stop).
    stop_pids "$grace" broker1 broker2 broker3 registry
    stop_pids "$ZK_STOP_WAIT" zk1 zk2 zk3
    sweep_strays
}

any_broker_running() {
    is_running broker1 || is_running broker2 || is_running broker3
}

cmd_down() {
    local t0; t0=$(now)
    lock_lab
    stop_all
    log "lab down ($(elapsed_since "$t0") s)"
}

cmd_reset() {
    lock_lab
    stop_all
    # Refuse to wipe a directory this script did not create.
    if [[ -z $(find "$DATA" -mindepth 1 -maxdepth 1 ! -name .lock -print -quit) ]]; then
        log "lab data already empty: $DATA"
    elif [[ -f $MARKER_FILE || $DATA == "$LAB_HOME/.data" ]]; then
        [[ -n $DATA && $DATA != / ]] || die "refusing to wipe '$DATA'"
        find "$DATA" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
        log "lab data wiped: $DATA"
    else
        die "$DATA has no .ksight-lab marker; not wiping it"
    fi
}

cmd_status() {
    local mode n name pid state extra all_up=0 ids
    mode=$(current_mode)
    echo "mode: $mode   data: $DATA"
    if [[ $mode == zk ]]; then
        for n in "${NODES[@]}"; do
            name="zk$n"
            if pid=$(component_pid "$name"); then
                state=up; extra="pid $pid  $HOST:${ZK_CLIENT_PORTS[$n]}  $(zk_mode "$n")"
            else
                state=down; extra=""; all_up=1
            fi
            printf '%-9s %-5s %s\n' "$name" "$state" "$extra"
        done
    fi
    for n in "${NODES[@]}"; do
        name="broker$n"
        if pid=$(component_pid "$name"); then
            state=up; extra="pid $pid  $HOST:${BROKER_PORTS[$n]}"
        else
            state=down; extra=""; all_up=1
        fi
        printf '%-9s %-5s %s\n' "$name" "$state" "$extra"
    done
    if pid=$(component_pid registry); then
        state=up; extra="pid $pid  $REGISTRY_URL"
        registry_ready || extra+="  (not answering)"
    else
        state=down; extra=""; all_up=1
    fi
    printf '%-9s %-5s %s\n' registry "$state" "$extra"

    if [[ $mode == zk ]] && (($(zk_running_count) > 0)); then
        ids=$(zk_broker_ids)
        echo "registered broker ids (ZooKeeper /brokers/ids): ${ids:-?}"
    fi
    for n in "${NODES[@]}"; do
        is_running "broker$n" || continue
        if ids=$(broker_metadata_ids "$n" 2>/dev/null) && [[ -n $ids ]]; then
            echo "brokers in metadata (via broker$n): $(grep -o '^[0-9]*' <<<"$ids" | sort -n | paste -sd,)" \
                "  controller: $(sed -n 's/c$//p' <<<"$ids" | head -n1 | grep . || echo '?')"
            break
        fi
    done
    return "$all_up"
}

cmd_env() {
    local zk=$ZOOKEEPER
    [[ $(current_mode) == kraft ]] && zk=""
    echo "BOOTSTRAP=$BOOTSTRAP"
    echo "ZOOKEEPER=$zk"
    echo "REGISTRY=$REGISTRY_URL"
    echo "KSIGHT_LAB_MODE=$(current_mode)"
}

cmd_stop_broker() {
    check_node "${1:-}"; lock_lab
    local t0 grace
    t0=$(now)
    grace=$BROKER_STOP_WAIT
    is_running "broker$1" && grace=$(broker_stop_grace "$1")
    stop_pids "$grace" "broker$1"
    log "broker$1 stopped ($(elapsed_since "$t0") s)"
}

cmd_kill_broker() {
    check_node "${1:-}"; lock_lab
    local pid
    if pid=$(component_pid "broker$1"); then
        kill -KILL "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        rm -f "$RUN/broker$1.pid"
        log "broker$1 killed (SIGKILL)"
    else
        log "broker$1 is not running"
    fi
}

cmd_start_broker() {
    check_node "${1:-}"; lock_lab
    local t0; t0=$(now)
    ensure_jars
    write_log4j_configs
    if [[ $(current_mode) == zk && $(zk_running_count) -lt 2 ]]; then
        die "ZooKeeper has no quorum (fewer than 2 nodes running); start ZooKeeper first"
    fi
    if [[ $(current_mode) == kraft ]] && ! kraft_other_node_running "$1"; then
        # One KRaft node alone has no controller quorum and never gets ready.
        start_broker_process "$1"
        sleep 2
        is_running "broker$1" || die "broker$1 exited at once (see $LOGS/broker$1/server.log)"
        log "broker$1 started, not waited for: no controller quorum until a second KRaft node runs"
        return 0
    fi
    start_brokers "$1"
    log "broker$1 ready ($(elapsed_since "$t0") s)"
}

kraft_other_node_running() {  # kraft_other_node_running N
    local n
    for n in "${NODES[@]}"; do
        [[ $n != "$1" ]] && is_running "broker$n" && return 0
    done
    return 1
}

cmd_stop_zk() {
    check_node "${1:-}"; lock_lab
    [[ $(current_mode) == zk ]] || die "the lab is in KRaft mode: there is no ZooKeeper"
    local t0; t0=$(now)
    stop_pids "$ZK_STOP_WAIT" "zk$1"
    log "zk$1 stopped ($(elapsed_since "$t0") s)"
}

cmd_start_zk() {
    check_node "${1:-}"; lock_lab
    [[ $(current_mode) == zk ]] || die "the lab is in KRaft mode: there is no ZooKeeper"
    local t0; t0=$(now)
    ensure_jars
    write_log4j_configs
    start_zk_process "$1"
    if (($(zk_running_count) >= 2)); then
        wait_zk "$1"
        log "zk$1 serving as $(zk_mode "$1") ($(elapsed_since "$t0") s)"
    else
        wait_zk_answers "$1"
        log "zk$1 answers but cannot serve: no quorum until a second node runs ($(elapsed_since "$t0") s)"
    fi
}

cmd_stop_registry() {
    lock_lab
    local t0; t0=$(now)
    stop_pids "$REGISTRY_STOP_WAIT" registry
    log "registry stopped ($(elapsed_since "$t0") s)"
}

cmd_start_registry() {
    lock_lab
    local t0; t0=$(now)
    ensure_registry
    start_registry_process
    wait_registry
    log "registry ready at $REGISTRY_URL ($(elapsed_since "$t0") s)"
}

cmd_tool() {
    local name=${1:-} class
    [[ -n $name ]] || die "usage: lab.sh tool NAME [ARGS...]; NAME is one of: ${TOOL_NAMES//$'\n'/ }"
    shift
    class=$(tool_class "$name") || die "unknown tool '$name'; known: ${TOOL_NAMES//$'\n'/ }"
    ensure_jars
    [[ -f $CONF/tools-log4j.properties ]] || write_log4j_configs
    exec java "${TOOL_JVM[@]}" -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$CONF/tools-log4j.properties" \
        -cp "$LIB/*" "$class" "$@"
}

cmd_help() {
    cat <<EOF
usage: lab/lab.sh COMMAND [ARGS]

  up [--kraft]      start everything (ZooKeeper mode, or KRaft with --kraft) and wait
  down              stop everything (SIGTERM, SIGKILL after a timeout)
  reset             down, then wipe the data directory
  status            show each process, ZooKeeper modes, registered brokers
  env               print BOOTSTRAP=, ZOOKEEPER=, REGISTRY=, KSIGHT_LAB_MODE= (for eval)
  stop-broker N     SIGTERM broker N (controlled shutdown)      N = 1, 2, 3
  kill-broker N     SIGKILL broker N
  start-broker N    start broker N and wait until it serves metadata
  stop-zk N         stop ZooKeeper node N
  start-zk N        start ZooKeeper node N and wait until it serves
  stop-registry     stop the schema registry
  start-registry    start the schema registry and wait until it answers
  tool NAME ARGS    run a Kafka CLI tool from the lab's jars, e.g.
                    tool kafka-topics --bootstrap-server $HOST:${BROKER_PORTS[1]} --list

data:  $DATA   (KSIGHT_LAB_DIR)
jars:  $CACHE  (KSIGHT_LAB_CACHE)
ports: workbook ports + $PORT_OFFSET  (KSIGHT_LAB_PORT_OFFSET)
tools: ${TOOL_NAMES//$'\n'/ }
EOF
}

main() {
    local cmd=${1:-help}
    [[ $# -gt 0 ]] && shift
    case $cmd in
        up)             cmd_up "$@" ;;
        down)           cmd_down ;;
        reset)          cmd_reset ;;
        status)         cmd_status ;;
        env)            cmd_env ;;
        stop-broker)    cmd_stop_broker "$@" ;;
        kill-broker)    cmd_kill_broker "$@" ;;
        start-broker)   cmd_start_broker "$@" ;;
        stop-zk)        cmd_stop_zk "$@" ;;
        start-zk)       cmd_start_zk "$@" ;;
        stop-registry)  cmd_stop_registry ;;
        start-registry) cmd_start_registry ;;
        tool)           cmd_tool "$@" ;;
        help|-h|--help) cmd_help ;;
        *) cmd_help >&2; die "unknown command '$cmd'" ;;
    esac
}

main "$@"
