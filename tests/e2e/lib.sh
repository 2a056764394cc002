# tests/e2e/lib.sh: drive the real ksight binary in a private tmux server.
#
# Sourced by the numbered scenarios. Each scenario gets its own tmux server
# (-L ksight-e2e-PID) at 120x40, so nothing touches the user's tmux. Helpers
# print what the screen showed when an assertion fails. Exit codes: 0 pass,
# 1 fail, 77 skip (missing binary, tmux or lab).

set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
KSIGHT_BIN=${KSIGHT_BIN:-$REPO/build/ksight}
E2E_SOCKET="ksight-e2e-$$"
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ksight-e2e.XXXXXX")
E2E_NAME=$(basename "$0" .sh)
E2E_COLS=120
E2E_ROWS=40
E2E_FAILED=0

tmx() { tmux -L "$E2E_SOCKET" -f /dev/null "$@"; }

e2e_cleanup() {
    tmx kill-server 2>/dev/null
    rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

# require_lab_python: the lab's environment (LAB, BOOTSTRAP, ...) and the
# Python venv with confluent-kafka ($PY), or skip (77). Then TOPIC and PIDS
# (background helpers) are cleaned up at exit: helpers killed, topic deleted.
PIDS=()
TOPIC=""
require_lab_python() {
    LAB="$REPO/lab/lab.sh"
    [[ -x $LAB ]] || skip "no lab/lab.sh"
    "$LAB" status >/dev/null 2>&1 || skip "the lab is not up (run: lab/lab.sh up)"
    eval "$("$LAB" env)"
    [[ -n ${BOOTSTRAP:-} ]] || skip "lab/lab.sh env gave no BOOTSTRAP"
    . "$REPO/tests/integration/lib/pyenv.sh"
    pyenv_ensure >/dev/null 2>&1 || skip "no Python venv with confluent-kafka"
    trap lab_python_cleanup EXIT
}
lab_python_cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; { wait "$p"; } 2>/dev/null || true; done
    [[ -n $TOPIC ]] && "$LAB" tool kafka-topics --bootstrap-server "$BOOTSTRAP" --delete \
        --topic "$TOPIC" >/dev/null 2>&1
    e2e_cleanup
}

skip() { echo "SKIP $E2E_NAME: $*"; exit 77; }
log() { echo "  $E2E_NAME: $*"; }

fail() {
    echo "FAIL $E2E_NAME: $*"
    echo "----- screen -----"
    screen_text | sed 's/^/  |/'
    echo "------------------"
    [[ -s $E2E_TMP/stderr ]] && { echo "----- stderr -----"; sed 's/^/  |/' "$E2E_TMP/stderr"; }
    exit 1
}

require_tools() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    [[ -x $KSIGHT_BIN ]] || skip "no ksight binary at $KSIGHT_BIN (build it, or set KSIGHT_BIN)"
}

# start_ksight ARGS...: runs ksight in a fresh 120x40 pane. When it exits the
# pane prints its exit code and the terminal modes, so tests can check that the
# terminal was restored.
start_ksight() {
    local args="" a
    for a in "$@"; do args+=" $(printf '%q' "$a")"; done
    cat >"$E2E_TMP/run.sh" <<RUN
#!/bin/sh
trap : INT # Ctrl-C is for ksight; this shell stays to report how it ended
$(printf '%q' "$KSIGHT_BIN")$args 2>"$E2E_TMP/stderr"
echo "ksight-exit=\$?"
stty -a | tr ' ;' '\n\n' | grep -Ex -- '-?(icanon|echo)' | tr '\n' ' '; echo
sleep 600
RUN
    chmod +x "$E2E_TMP/run.sh"
    tmx new-session -d -x "$E2E_COLS" -y "$E2E_ROWS" -e LANG="${LANG:-C.UTF-8}" \
        -e TERM=xterm-256color "$E2E_TMP/run.sh"
}

screen_text() { tmx capture-pane -p 2>/dev/null; }

# keys KEY...: tmux key names (Enter, Escape, Tab, C-c, Up) or literal text via -l.
keys() { tmx send-keys "$@"; }
type_text() { tmx send-keys -l "$1"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() {
    local text=$1 timeout=${2:-10} end
    end=$(($(date +%s%N) + timeout * 1000000000))
    while (($(date +%s%N) < end)); do
        screen_text | grep -qF -- "$text" && return 0
        sleep 0.1
    done
    fail "waited ${timeout}s for \"$text\""
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
    local text=$1 timeout=${2:-10} end
    end=$(($(date +%s%N) + timeout * 1000000000))
    while (($(date +%s%N) < end)); do
        screen_text | grep -qF -- "$text" || return 0
        sleep 0.1
    done
    fail "\"$text\" still on screen after ${timeout}s"
}

# wait_regex REGEX [SECONDS]
wait_regex() {
    local re=$1 timeout=${2:-10} end
    end=$(($(date +%s%N) + timeout * 1000000000))
    while (($(date +%s%N) < end)); do
        screen_text | grep -qE -- "$re" && return 0
        sleep 0.1
    done
    fail "waited ${timeout}s for /$re/"
}

assert_screen() { screen_text | grep -qF -- "$1" || fail "screen lacks \"$1\""; }
refute_screen() { ! screen_text | grep -qF -- "$1" || fail "screen shows \"$1\""; }

# line_with TEXT: the first screen line containing TEXT (for column checks).
line_with() { screen_text | grep -F -m1 -- "$1"; }

# press_and_time KEY TEXT: sends KEY and prints how many ms until TEXT shows.
press_and_time() {
    local key=$1 text=$2 t0 t1
    t0=$(date +%s%N)
    keys "$key"
    wait_for "$text" 5
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}

resize() { tmx resize-window -x "$1" -y "$2"; }

# quit_and_check [KEY]: q (or KEY, e.g. C-c), exit code 0, terminal back in
# canonical mode with echo, no sanitizer report.
quit_and_check() {
    keys "${1:-q}"
    wait_for "ksight-exit=" 10
    assert_screen "ksight-exit=0"
    local modes
    modes=$(screen_text | grep -E -- '(^| )-?icanon' | head -1)
    [[ $modes == *" icanon"* || $modes == "icanon"* ]] || fail "terminal left without icanon: $modes"
    [[ $modes == *" echo"* || $modes == "echo"* ]] || fail "terminal left without echo: $modes"
    if [[ -s $E2E_TMP/stderr ]] && grep -qE 'ERROR: AddressSanitizer|runtime error|LeakSanitizer' "$E2E_TMP/stderr"; then
        fail "sanitizer report on stderr"
    fi
}

# capture NAME: saves the screen under $E2E_CAPTURE_DIR (for the user guide).
capture() {
    [[ -n ${E2E_CAPTURE_DIR:-} ]] || return 0
    mkdir -p "$E2E_CAPTURE_DIR"
    screen_text >"$E2E_CAPTURE_DIR/$1.txt"
}

pass() { echo "PASS $E2E_NAME"; exit 0; }
