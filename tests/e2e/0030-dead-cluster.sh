#!/usr/bin/env bash
# 0030-dead-cluster: every broker unreachable (127.0.0.1:1). Keys still answer
# within a second while the backend waits on the network, the status bar says
# "unreachable", views show the error where their data would be, Ctrl-C exits
# 0 with the terminal restored.
. "$(dirname "$0")/lib.sh"
require_tools

start_ksight -b 127.0.0.1:1 -T 2 -i 1
wait_for "Brokers" 10

# keys answer at once even before the first poll has given up
for pair in "2:PARTITIONS" "3:LAG TREND" "6:DETAIL" "1:HOST:PORT"; do
    ms=$(press_and_time "${pair%%:*}" "${pair#*:}")
    log "key ${pair%%:*} answered in ${ms} ms"
    ((ms < 1000)) || fail "key ${pair%%:*} took ${ms} ms"
done

wait_for "unreachable" 30
capture dead-cluster
# the error is shown where the rows would be
keys 2
wait_regex "kafka: .+" 5

# still responsive once the backend is retrying
for pair in "?:WHAT IT DOES" "?:PARTITIONS" "3:LAG TREND" "2:PARTITIONS"; do
    ms=$(press_and_time "${pair%%:*}" "${pair#*:}")
    ((ms < 1000)) || fail "key ${pair%%:*} took ${ms} ms after the cluster died"
done
keys :
type_text "topics"
keys Enter
wait_for "PARTITIONS" 1

quit_and_check C-c
pass
