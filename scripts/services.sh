#!/usr/bin/env bash
# Starts (or stops) the servers the tests need, on loopback only, and prints their URLs as environment
# assignments:   eval "$(scripts/services.sh start)"
#   AURORA_TEST_PG_URL     PostgreSQL 15 (Debian's cluster 15/main), superuser aurora_test
#   AURORA_TEST_MYSQL_URL  MariaDB, started directly on 127.0.0.1:3307 with its own data directory
#   AURORA_TEST_MOTO_URL   moto_server on 127.0.0.1:5055
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
STATE=${AURORA_SERVICES_DIR:-/tmp/aurora-restore-services}
mkdir -p "$STATE"
PG_PORT=5432
MYSQL_PORT=3307
MOTO_PORT=5055
PW=aurora-test-pw

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "services: $name did not come up" >&2; return 1
}

start_pg() {
  if ! pg_lsclusters -h | grep -q '^15 *main'; then
    pg_createcluster 15 main >/dev/null
  fi
  sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" /etc/postgresql/15/main/postgresql.conf
  pg_ctlcluster 15 main start >/dev/null 2>&1 || pg_ctlcluster 15 main status >/dev/null
  wait_for postgresql pg_isready -h 127.0.0.1 -p $PG_PORT
  su postgres -c "psql -q -p $PG_PORT -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='aurora_test') THEN CREATE ROLE aurora_test LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD '$PW'; END IF; END\\\$\\\$;\"" >/dev/null
  echo "export AURORA_TEST_PG_URL=postgresql://aurora_test:$PW@127.0.0.1:$PG_PORT/postgres"
}

start_mysql() {
  local dir=$STATE/mysql
  if [ ! -d "$dir/data/mysql" ]; then
    mkdir -p "$dir/data"; chown -R mysql:mysql "$dir" 2>/dev/null || true
    mariadb-install-db --user=mysql --datadir="$dir/data" --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
  fi
  if ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P $MYSQL_PORT -uroot ping >/dev/null 2>&1 && \
     ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P $MYSQL_PORT -uaurora_test -p$PW ping >/dev/null 2>&1; then
    (mariadbd --user=mysql --datadir="$dir/data" --bind-address=127.0.0.1 --port=$MYSQL_PORT \
       --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --skip-name-resolve \
       --log-error="$dir/error.log" >/dev/null 2>&1 &)
  fi
  wait_for mariadb mariadb-admin --socket="$dir/mysqld.sock" -uroot ping
  mariadb --socket="$dir/mysqld.sock" -uroot -e "CREATE USER IF NOT EXISTS 'aurora_test'@'%' IDENTIFIED BY '$PW'; GRANT ALL ON *.* TO 'aurora_test'@'%' WITH GRANT OPTION; FLUSH PRIVILEGES;"
  echo "export AURORA_TEST_MYSQL_URL=mysql://aurora_test:$PW@127.0.0.1:$MYSQL_PORT/mysql"
}

start_moto() {
  if ! curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/"; then
    (nohup moto_server -H 127.0.0.1 -p $MOTO_PORT >"$STATE/moto.log" 2>&1 &)
  fi
  wait_for moto curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/"
  echo "export AURORA_TEST_MOTO_URL=http://127.0.0.1:$MOTO_PORT"
}

stop_all() {
  pg_ctlcluster 15 main stop 2>/dev/null || true
  [ -f "$STATE/mysql/mysqld.pid" ] && kill "$(cat "$STATE/mysql/mysqld.pid")" 2>/dev/null || true
  pkill -f "moto_server -H 127.0.0.1 -p $MOTO_PORT" 2>/dev/null || true
}

case "${1:-start}" in
  start) start_pg; start_mysql; start_moto ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
