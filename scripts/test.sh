#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL. PostgreSQL settings come from DB_HOST,
# DB_PORT, DB_USER, DB_PASSWORD (defaults: 127.0.0.1:5432, postgres, no password).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-5432} DB_USER=${DB_USER:-postgres}

if [ ! -x /usr/bin/chromium ]; then
  echo "Thiếu /usr/bin/chromium cho các kiểm thử đầu-cuối: cài bằng 'apt-get install chromium'." >&2
  exit 1
fi

if ! $PY - <<'PYEOF'
import os, sys
import psycopg
try:
    psycopg.connect(host=os.environ["DB_HOST"], port=os.environ["DB_PORT"], user=os.environ["DB_USER"],
                    password=os.environ.get("DB_PASSWORD", ""), dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(f"Không kết nối được PostgreSQL tại {os.environ['DB_HOST']}:{os.environ['DB_PORT']}: {exc}", file=sys.stderr)
    print("Hãy khởi động PostgreSQL (pg_ctlcluster --skip-systemctl-redirect 15 main start) hoặc đặt DB_HOST/DB_PORT.",
          file=sys.stderr)
    sys.exit(1)
PYEOF
then
  exit 1
fi

status=0
echo "=== Bộ kiểm thử trên SQLite ==="
DB=sqlite $PY -m pytest "$@" || status=1
echo "=== Bộ kiểm thử trên PostgreSQL ==="
DB=postgres DB_NAME=dangvu_ci $PY -m pytest "$@" || status=1
exit $status
