#!/usr/bin/env bash
# tests/e2e/run.sh [SCENARIO...]: runs the end-to-end scenarios (all 0nnn-*.sh by
# default) against the real binary in private tmux servers; prints one line per
# scenario and exits non-zero if any failed. Skips (exit 77) do not fail the run.
#   KSIGHT_BIN=path/to/ksight   binary under test (default build/ksight)
#   E2E_CAPTURE_DIR=dir         save screens there (used for docs/user-guide.md)
set -u
cd "$(dirname "$0")"
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(0[0-9][0-9][0-9]-*.sh)
pass=0 fail=0 skip=0
for s in "${scenarios[@]}"; do
    bash "$s"
    case $? in
    0) pass=$((pass + 1)) ;;
    77) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
((fail == 0))
