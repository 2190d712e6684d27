#!/usr/bin/env bash
# The newcomer's demo, one command on a fresh Debian 12 machine (as root):
#   installs and builds, starts a throwaway PostgreSQL server and the sandbox (an AWS emulator) with its data
#   plane, seeds a "prod" cluster with rows and snapshots, then runs the design brief's request
#   (examples/restore.yaml): a cross-region, KMS re-encrypting, swap-mode restore with two users and a
#   masking script. It shows the plan, the live progress, the masked rows as each user, and the audit check.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ -n "${AURORA_RESTORE_BIN:-}" ]; then
  # The demo test (tests/demo) runs this script with the binary it already built.
  CLI=$AURORA_RESTORE_BIN
else
  step "installing packages and building aurora-restore (first run: a few minutes)"
  scripts/setup.sh
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
  cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAURORA_BUILD_TESTS=OFF -DAURORA_BUILD_BENCH=OFF >/dev/null
  cmake --build build/demo --target aurora-restore
  CLI=$ROOT/build/demo/src/cli/aurora-restore
fi

DEMO=$(mktemp -d /tmp/aurora-demo.XXXXXX)
chmod 755 "$DEMO"
PG_PORT=${DEMO_PG_PORT:-55432}
PGBIN=/usr/lib/postgresql/15/bin
cleanup() {
  [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DEMO/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DEMO"
}
trap cleanup EXIT

step "starting a throwaway PostgreSQL 15 on 127.0.0.1:$PG_PORT (the sandbox's data plane)"
chown postgres "$DEMO"
echo demo-pg-pw > "$DEMO/pwfile"; chown postgres "$DEMO/pwfile"
runuser -u postgres -- "$PGBIN/initdb" -D "$DEMO/pg" -U demo --pwfile="$DEMO/pwfile" -A scram-sha-256 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DEMO/pg" -l "$DEMO/pg.log" -w \
  -o "-p $PG_PORT -k $DEMO -c listen_addresses=127.0.0.1" start >/dev/null

step "starting the sandbox (RDS, STS, SNS, Secrets Manager, KMS) with a seeded prod-orders cluster"
SANDBOX_PORT=${DEMO_SANDBOX_PORT:-4566}
"$CLI" sandbox --port "$SANDBOX_PORT" --seed examples/demo/seed.yaml \
  --credentials examples/demo/credentials.yaml --durations examples/demo/durations.yaml \
  --data-plane "postgresql://demo:demo-pg-pw@127.0.0.1:$PG_PORT/postgres" >"$DEMO/sandbox.log" 2>&1 &
SANDBOX_PID=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$SANDBOX_PORT"
for _ in $(seq 1 100); do curl -sf "$AWS_ENDPOINT_URL/_sandbox/health" >/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=AKIADEMOEXAMPLE12345 AWS_SECRET_ACCESS_KEY=demo-secret-key-not-for-real-use
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
AWS=/usr/bin/aws; [ -x "$AWS" ] || AWS=aws
# Debian's awscli (2.9) predates AWS_ENDPOINT_URL: give it the endpoint explicitly.
awscli() { "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
export AURORA_RESTORE_STATE_DIR="$DEMO/state"
echo "sandbox at $AWS_ENDPOINT_URL"

step "the source, as Debian's awscli sees it"
awscli rds describe-db-cluster-snapshots --db-cluster-identifier prod-orders \
  --query 'DBClusterSnapshots[].[DBClusterSnapshotIdentifier,Status,SnapshotCreateTime]' --output table

step "the request (the design brief's example, unchanged)"
cat examples/restore.yaml

step "aurora-restore plan: every call it would make, changing nothing"
"$CLI" plan -f examples/restore.yaml

step "aurora-restore restore: the whole pipeline (the webhook host does not exist here: that delivery fails, the rest succeeds)"
"$CLI" restore -f examples/restore.yaml

step "the restored staging-orders in us-west-2"
awscli rds describe-db-clusters --region us-west-2 \
  --query 'DBClusters[].[DBClusterIdentifier,Status,Endpoint,Port,DatabaseName]' --output table
DB=$(awscli rds describe-db-clusters --region us-west-2 --db-cluster-identifier staging-orders --query 'DBClusters[0].DatabaseName' --output text)

step "the masked rows, as the analyst user (read-only)"
PGPASSWORD=analyst-pw-5b8d03 psql -h 127.0.0.1 -p "$PG_PORT" -U analyst -d "$DB" -c 'SELECT * FROM customers ORDER BY id'
echo "the analyst may not write:"
PGPASSWORD=analyst-pw-5b8d03 psql -h 127.0.0.1 -p "$PG_PORT" -U analyst -d "$DB" -c "INSERT INTO customers VALUES (6,'x','y','z')" 2>&1 | head -1 || true

step "the audit trail and its hash-chain verification"
"$CLI" list
"$CLI" audit --verify
echo
echo "Done. Try: $CLI --help   (state kept in $AURORA_RESTORE_STATE_DIR until this script exits)"
