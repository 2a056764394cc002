#!/usr/bin/env bash
# 0015: the group poll runs in a worker process because librdkafka 2.0.2 can
# crash on admin requests whose coordinator restarts (librdkafka#4605). A
# worker that dies of a signal must cost one round, reported as the groups
# error, with everything else intact and ksight alive.
source "$(dirname "$0")/lib.sh"
lab_env

printf '#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n' >"$WORK/crashing-worker"
chmod +x "$WORK/crashing-worker"
KSIGHT_GROUPS_WORKER="$WORK/crashing-worker" ks snapshot --json >"$WORK/s.json" ||
    fail "snapshot must exit 0: the cluster answered"
msg=$(jget "$WORK/s.json" '[e["message"] for e in d["errors"] if e["source"]=="groups"][0]')
say "groups error: $msg"
echo "$msg" | grep -q "crashed (signal 11)" || fail "the crash is not reported as the groups error"
[ "$(jget "$WORK/s.json" 'len(d["topics"]) > 0 and len(d["groups"]) == 0')" = True ] ||
    fail "topics should be intact and no stale groups shown"

# a worker that prints garbage is an error too, not a crash of ksight
printf '#!/bin/sh\ncat >/dev/null\necho "{not json"\n' >"$WORK/garbage-worker"
chmod +x "$WORK/garbage-worker"
KSIGHT_GROUPS_WORKER="$WORK/garbage-worker" ks snapshot --json >"$WORK/g.json" || fail "exit status"
jget "$WORK/g.json" '[e["message"] for e in d["errors"] if e["source"]=="groups"][0]' |
    grep -q "unreadable group data" || fail "garbage from the worker is not reported"

# and the real worker gives the groups
ks snapshot --json >"$WORK/ok.json" || fail "snapshot failed"
[ "$(jget "$WORK/ok.json" '[e for e in d["errors"] if e["source"]=="groups"]')" = "[]" ] ||
    fail "groups error with the real worker"
exit 0
