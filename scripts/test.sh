#!/usr/bin/env bash
# The whole check: lint, the suite on SQLite, then the suite on PostgreSQL.
# PostgreSQL: $KYOTEN_TEST_POSTGRES_URL when set, else a throwaway cluster started and stopped here.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
export PYTHONDONTWRITEBYTECODE=1

echo "== lint (ruff)"
"$BIN/ruff" check .
"$BIN/ruff" format --check .

bash scripts/ensure-chromium.sh || true
bash scripts/ensure-axe.sh || true

mkdir -p var
echo "== tests on SQLite"
unset KYOTEN_DATABASE_URL
"$BIN/python" -m pytest -p no:randomly "$@"

echo "== tests on PostgreSQL"
if [ -n "${KYOTEN_TEST_POSTGRES_URL:-}" ]; then
  KYOTEN_DATABASE_URL="$KYOTEN_TEST_POSTGRES_URL" "$BIN/python" -m pytest "$@"
else
  source scripts/pg-throwaway.sh
  if pg_throwaway_start; then
    trap pg_throwaway_stop EXIT
    KYOTEN_DATABASE_URL="$PG_URL" "$BIN/python" -m pytest "$@"
  else
    echo "PostgreSQL: SKIPPED: $PG_REASON"
  fi
fi
