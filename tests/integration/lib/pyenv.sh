# pyenv.sh: the integration tests' Python venv (sourced, or run to create it).
#
#   source tests/integration/lib/pyenv.sh && pyenv_ensure   -> $PY is the venv's python
#
# The venv lives in lab/.cache/venv (KSIGHT_VENV overrides) and holds the
# independent Kafka client the tail scenarios compare ksight against:
# confluent-kafka with its AvroSerializer and SchemaRegistryClient, plus
# fastavro. Versions are pinned; pip runs only when a pin is not satisfied,
# under a lock so that concurrent scenarios do not install twice.
PYENV_ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
VENV=${KSIGHT_VENV:-$PYENV_ROOT_DIR/lab/.cache/venv}
PY=$VENV/bin/python
PYENV_PINS=(
    "confluent-kafka[avro]==2.11.1"
    "fastavro==1.12.1"
)

pyenv_ok() {
    [ -x "$PY" ] && "$PY" - "${PYENV_PINS[@]}" <<'PYEOF' >/dev/null 2>&1
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    name = name.split("[")[0]
    if version(name) != want:
        sys.exit(1)
import confluent_kafka.schema_registry.avro, fastavro  # noqa: F401 (the extras import)
PYEOF
}

# pyenv_ensure: creates or completes the venv; returns non-zero (with a
# message on stderr) when Python or PyPI is not available.
pyenv_ensure() {
    pyenv_ok && return 0
    mkdir -p "$(dirname "$VENV")"
    (
        flock 9
        pyenv_ok && exit 0
        if [ ! -x "$PY" ]; then
            python3 -m venv "$VENV" >&2 || { echo "pyenv: python3 -m venv failed" >&2; exit 1; }
        fi
        "$PY" -m pip install -q --disable-pip-version-check "${PYENV_PINS[@]}" >&2 ||
            { echo "pyenv: pip install ${PYENV_PINS[*]} failed" >&2; exit 1; }
        pyenv_ok || { echo "pyenv: the venv does not import confluent_kafka's Avro serializer" >&2; exit 1; }
    ) 9>"$VENV.lock"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    pyenv_ensure && echo "$PY"
fi
