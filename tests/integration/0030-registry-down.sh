#!/usr/bin/env bash
# 0030: a registry that is down is a field of the snapshot, not a failure:
# reachable false, an error with source "registry", everything else intact.
source "$(dirname "$0")/lib.sh"
lab_env
lab_exclusive
trap '"$LAB" start-registry >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

ks snapshot --json >"$WORK/up.json" || fail "snapshot failed with everything up"
[ "$(jget "$WORK/up.json" 'd["registry"]["reachable"]')" = True ] || fail "registry not reachable at the start"
ntopics=$(jget "$WORK/up.json" 'len(d["topics"])')

"$LAB" stop-registry >/dev/null
ks snapshot --json >"$WORK/down.json" || fail "snapshot must still exit 0 (the cluster answered)"
say "registry stopped: reachable=$(jget "$WORK/down.json" 'd["registry"]["reachable"]'), errors=$(jget "$WORK/down.json" 'd["errors"]')"
[ "$(jget "$WORK/down.json" 'd["registry"]["reachable"]')" = False ] || fail "registry should be unreachable"
jget "$WORK/down.json" '[e["message"] for e in d["errors"] if e["source"]=="registry"][0]' | grep -qi "refused\|connect" ||
    fail "the registry error does not say why"
[ "$(jget "$WORK/down.json" 'len(d["topics"])')" -ge "$ntopics" ] || fail "topics lost while the registry is down"
[ "$(jget "$WORK/down.json" 'd["cluster"]["controller"] is not None')" = True ] || fail "cluster data lost"
ks snapshot >"$WORK/down.txt" || fail "text snapshot failed"
grep -q "UNREACHABLE" "$WORK/down.txt" || fail "text output does not say the registry is unreachable"

"$LAB" start-registry >/dev/null
ks snapshot --json >"$WORK/back.json"
[ "$(jget "$WORK/back.json" 'd["registry"]["reachable"]')" = True ] || fail "registry not back"
exit 0
