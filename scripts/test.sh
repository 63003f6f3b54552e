#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL, on a bare Debian machine as well:
# - PostgreSQL from DB_HOST, DB_PORT, DB_USER, DB_PASSWORD (defaults: 127.0.0.1:5432, postgres, no
#   password). When nothing answers there, a throwaway cluster under data/pg serves the run and is
#   removed at the end (Debian's `postgresql` is installed first if its programs are missing).
# - CHROMIUM (end-to-end tests), SOFFICE and PDFTOTEXT (Word files printed to PDF): Debian packages,
#   installed through apt when they are missing.
# Installing needs root; otherwise the one apt command to run is printed. What was set up is printed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-5432} DB_USER=${DB_USER:-postgres}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium} SOFFICE=${SOFFICE:-soffice} PDFTOTEXT=${PDFTOTEXT:-pdftotext}
SET_UP=()

have() { command -v "$1" >/dev/null 2>&1; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
pg_reachable() {
  $PY - <<'PYEOF'
import os, sys
import psycopg
try:
    psycopg.connect(host=os.environ["DB_HOST"], port=os.environ["DB_PORT"], user=os.environ["DB_USER"],
                    password=os.environ.get("DB_PASSWORD", ""), dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(f"Không kết nối được PostgreSQL tại {os.environ['DB_HOST']}:{os.environ['DB_PORT']}: {exc}".strip())
    sys.exit(1)
PYEOF
}

# --- what is missing: one apt run (or one printed command) for all of it ---------------------------
packages=()
have "$CHROMIUM" || packages+=(chromium)
have "$SOFFICE" || packages+=(libreoffice-writer-nogui fonts-liberation2)  # Liberation Serif: Times New Roman's metrics
have "$PDFTOTEXT" || packages+=(poppler-utils)
OWN_CLUSTER=""
if ! pg_reachable; then
  OWN_CLUSTER=1
  [ -n "$(pg_bin)" ] || packages+=(postgresql)
fi
if [ ${#packages[@]} -gt 0 ]; then
  bash scripts/debian-packages.sh "${packages[@]}" || exit 1
  SET_UP+=("cài gói Debian: ${packages[*]}")
  have "$CHROMIUM" || CHROMIUM=/usr/bin/chromium
  have "$SOFFICE" || SOFFICE=soffice
  have "$PDFTOTEXT" || PDFTOTEXT=pdftotext
fi

# --- a throwaway PostgreSQL cluster when none answers -----------------------------------------------
PGDIR=""
AS_PG=()
as_pg() { (cd / && "${AS_PG[@]}" "$@"); }  # from /: the postgres user may not enter this folder
stop_cluster() {
  [ -n "$PGDIR" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR" -m fast -w stop >/dev/null 2>&1
  rm -rf "$PGDIR"
  echo "Đã dừng và xóa cụm PostgreSQL tạm ($PGDIR)."
}

start_cluster() {
  local bin port
  bin=$(pg_bin)
  PGDIR=$PWD/data/pg
  if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL refuses to run as root: its own system user runs it
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    AS_PG=(runuser -u postgres --)
  fi
  if [ -f "$PGDIR/postmaster.pid" ]; then  # left running by a run that was killed
    as_pg "$bin/pg_ctl" -D "$PGDIR" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$PGDIR" && mkdir -p "$PGDIR" || return 1
  port=$($PY -c 'import socket
for p in range(54329, 54429):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p)); print(p); break
        except OSError:
            pass')
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGDIR"
    if ! as_pg test -w "$PGDIR"; then  # a folder the postgres user cannot reach (under /root)
      rm -rf "$PGDIR"
      PGDIR=$(mktemp -d /tmp/dangvu-pg.XXXXXX) && chown postgres: "$PGDIR" || return 1
    fi
  fi
  as_pg "$bin/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGDIR.initdb.log" 2>&1 \
    || { cat "$PGDIR.initdb.log" >&2; return 1; }
  rm -f "$PGDIR.initdb.log"
  # Only for a test run: no durability wanted, and no Unix socket (its path length is limited).
  as_pg "$bin/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$PGDIR/server.log" >&2; return 1; }
  export DB_HOST=127.0.0.1 DB_PORT=$port DB_USER=postgres DB_PASSWORD=""
  SET_UP+=("cụm PostgreSQL tạm $("$bin/postgres" --version | awk '{print $3}') tại 127.0.0.1:$port (thư mục $PGDIR), xóa khi chạy xong")
}

if [ -n "$OWN_CLUSTER" ]; then
  trap stop_cluster EXIT
  trap 'exit 130' INT TERM
  echo "Khởi tạo cụm PostgreSQL tạm cho lần chạy này …"
  start_cluster || { echo "Không khởi động được cụm PostgreSQL tạm." >&2; exit 1; }
  pg_reachable || exit 1
fi

if [ ${#SET_UP[@]} -gt 0 ]; then
  echo "Đã chuẩn bị cho bộ kiểm thử:"
  printf '  - %s\n' "${SET_UP[@]}"
else
  echo "Dùng PostgreSQL tại $DB_HOST:$DB_PORT, $CHROMIUM, $SOFFICE, $PDFTOTEXT có sẵn."
fi

status=0
echo "=== Bộ kiểm thử trên SQLite ==="
DB=sqlite $PY -m pytest "$@" || status=1
echo "=== Bộ kiểm thử trên PostgreSQL ($DB_HOST:$DB_PORT) ==="
DB=postgres DB_NAME=dangvu_ci $PY -m pytest "$@" || status=1
exit $status
