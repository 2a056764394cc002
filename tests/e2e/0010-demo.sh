#!/usr/bin/env bash
# 0010-demo: ksight --demo in tmux: every view by key and by ':' command, help,
# filter, resize to 60x15 (usable), smaller ("terminal too small") and back,
# q exits 0 with the terminal restored.
. "$(dirname "$0")/lib.sh"
require_tools

start_ksight --demo
wait_for "Brokers" 15
wait_for "connected" 20
wait_for "127.0.0.1:" 20
capture brokers

# ---- every view by key
keys 2
wait_for "PARTITIONS"
wait_for "position" 20
line_with "position" | grep -qE 'position +3 ' || fail "position should have 3 partitions"
capture topics
keys Enter
wait_for "Topics ▸ position"
wait_for "LEADER"
wait_for "ISR"
capture topic
keys Tab
wait_for "courier-positions" 20
keys Enter
wait_for "CLIENT ID"
wait_for "COMMITTED"
capture group
keys Escape
wait_gone "CLIENT ID"
wait_for "Topics ▸ position"
keys Escape
wait_regex '^Topics  [0-9]+ topics'
keys 3
wait_for "LAG TREND"
wait_for "courier-positions" 20
capture groups
keys 4
wait_for "No ZooKeeper configured"
keys 5
wait_for "no schema registry configured"
keys 6
wait_for "EVENT"
wait_for "DETAIL"
capture timeline
keys '?'
wait_for "WHAT IT DOES"
for text in "quit" "filter the list" "command palette" "move down"; do
    assert_screen "$text"
done
capture help
keys G
wait_for ":ctx NAME"
assert_screen ":topics" # the commands section ends the help (the tail and load keys come before)
keys '?'
wait_gone "WHAT IT DOES"
keys 1
wait_for "HOST:PORT"

# ---- every view by ':' command
for pair in "topics:PARTITIONS" "groups:LAG TREND" "zk:No ZooKeeper configured" \
    "schemas:no schema registry configured" "timeline:DETAIL" "help:WHAT IT DOES" \
    "brokers:HOST:PORT" "topic position:LEADER REPLICAS" \
    "group courier-positions:COMMITTED"; do
    cmd=${pair%%:*}
    want=${pair#*:}
    keys :
    type_text "$cmd"
    keys Enter
    wait_for "$want"
done

# ---- ':' completion and '/' filter
keys :
type_text "tim"
keys Tab
wait_for ":timeline"
keys Enter
wait_for "DETAIL"
keys 2
wait_for "position"
keys /
type_text "nosuchtopic"
wait_for "no rows match /nosuchtopic"
keys Escape
wait_for "position"
keys /
type_text "!position"
keys Enter
wait_for "no rows match /!position"
keys Escape
wait_for "position"

# ---- refresh interval
keys +
wait_for "every 5s"
keys - -
wait_for "every 1s"

# ---- resize: 60x15 is usable, smaller says so, and it recovers
resize 60 15
wait_for "1 Brokers 2 Topics"
wait_for "position"
capture small-60x15
resize 50 10
wait_for "terminal too small"
resize 120 40
wait_for "ksight  1 Brokers"
wait_for "position"
refute_screen "terminal too small"

quit_and_check
pass
