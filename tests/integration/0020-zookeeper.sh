#!/usr/bin/env bash
# 0020: ZooKeeper roles as the workbook's exercise: stop the leader, another
# leads (quorum kept); stop one more, the last server is "not-serving" and
# the quorum is lost; start both, the quorum is back.
source "$(dirname "$0")/lib.sh"
lab_env
[ -n "${ZOOKEEPER:-}" ] || skip "the lab runs in KRaft mode"
lab_exclusive

snap() { ks snapshot --json >"$WORK/s.json" 2>/dev/null; }
leader_index() { jget "$WORK/s.json" '[i+1 for i,s in enumerate(d["zookeeper"]["servers"]) if s["mode"]=="leader"][0]'; }
has_leader_other_than() { snap && [ "$(jget "$WORK/s.json" 'sum(1 for s in d["zookeeper"]["servers"] if s["mode"]=="leader")')" = 1 ] && [ "$(leader_index)" != "$1" ]; }
no_quorum() { snap; [ "$(zk_quorum "$WORK/s.json")" = "False" ]; }
quorum_back() { snap && [ "$(zk_quorum "$WORK/s.json")" = "True" ] && [ "$(zk_modes "$WORK/s.json" | tr ',' '\n' | grep -c -E 'leader|follower')" = 3 ]; }
restore() { "$LAB" start-zk 1 >/dev/null 2>&1; "$LAB" start-zk 2 >/dev/null 2>&1; "$LAB" start-zk 3 >/dev/null 2>&1; }
trap 'restore; rm -rf "$WORK"' EXIT

wait_for 30 quorum_back || fail "the ensemble is not healthy at the start: $(zk_modes "$WORK/s.json")"
old=$(leader_index)
say "modes: $(zk_modes "$WORK/s.json"); leader is server $old; quorum $(zk_quorum "$WORK/s.json")"
# same as the workbook's `echo stat | nc` check, to compare with
for p in 2181 2182 2183; do
    m=$(exec 3<>/dev/tcp/127.0.0.1/$p; printf srvr >&3; grep '^Mode:' <&3 | awk '{print $2}')
    [ "$(jget "$WORK/s.json" '[s["mode"] for s in d["zookeeper"]["servers"] if s["address"].endswith(":'$p'")][0]')" = "$m" ] ||
        fail "port $p: ksight and srvr disagree (srvr says $m)"
done

"$LAB" stop-zk "$old" >/dev/null
wait_for 30 has_leader_other_than "$old" || fail "no new leader after stopping server $old: $(zk_modes "$WORK/s.json")"
[ "$(zk_quorum "$WORK/s.json")" = "True" ] || fail "quorum should survive one stopped server"
say "leader $old stopped: modes $(zk_modes "$WORK/s.json"), quorum $(zk_quorum "$WORK/s.json")"
jget "$WORK/s.json" '[s["mode"] for s in d["zookeeper"]["servers"]][int("'$old'")-1]' | grep -qx down ||
    fail "stopped server $old should be down"

new=$(leader_index)
"$LAB" stop-zk "$new" >/dev/null
wait_for 30 no_quorum || fail "quorum still reported with two servers stopped: $(zk_modes "$WORK/s.json")"
say "second server $new stopped: modes $(zk_modes "$WORK/s.json"), quorum $(zk_quorum "$WORK/s.json")"
[ "$(zk_modes "$WORK/s.json" | tr ',' '\n' | grep -c not-serving)" = 1 ] || fail "the remaining server should be not-serving"
[ "$(zk_modes "$WORK/s.json" | tr ',' '\n' | grep -c down)" = 2 ] || fail "two servers should be down"
jget "$WORK/s.json" '[e["source"] for e in d["errors"]]' | grep -q zookeeper || fail "no zookeeper error in errors[]"

restore
wait_for 60 quorum_back || fail "quorum not back after restart: $(zk_modes "$WORK/s.json")"
say "servers restarted: modes $(zk_modes "$WORK/s.json"), quorum $(zk_quorum "$WORK/s.json")"
# the brokers lost their ZooKeeper sessions: wait until they are all back
wait_for 60 bash -c "\"$KSIGHT\" -b \"$BOOTSTRAP\" snapshot --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if all(b[\"up\"] for b in d[\"cluster\"][\"brokers\"]) and len(d[\"cluster\"][\"brokers\"])==3 else 1)'" ||
    fail "brokers did not all come back after the quorum returned"
exit 0
