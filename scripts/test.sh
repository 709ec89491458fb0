#!/usr/bin/env bash
# Runs the whole suite. The loopback PostgreSQL and Redis are used when they answer; their tests skip otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export HILL_TEST_POSTGRES_URL=${HILL_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
export HILL_TEST_REDIS_URL=${HILL_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
exec .venv/bin/python -m pytest --headless "$@"
