#!/usr/bin/env bash
# Installs everything the build and the tests need, from Debian's packages and the npm registry.
# Idempotent: a second run installs nothing new. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

DEB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev libcurl4-openssl-dev nlohmann-json3-dev libpugixml-dev libyaml-cpp-dev libcli11-dev
  libcpp-httplib-dev libsqlite3-dev sqlite3 libpq-dev libmariadb-dev
  postgresql-15 postgresql-client-15 mariadb-server mariadb-client
  awscli python3 clang-format clang-tidy
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: whatever the machine has (its image may ship its own build, which Debian's npm package
# conflicts with); Debian's only where there is none.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # Debian's maintainer scripts try to start servers; without an init system they cannot, and must not.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The independent peers from npm (asl-validator, dynalite, the CloudFormation spec), pinned in tools/node.
if [ -f tools/node/package.json ]; then
  if [ ! -d tools/node/node_modules ] || [ tools/node/package.json -nt tools/node/node_modules ]; then
    (cd tools/node && npm install --no-audit --no-fund --loglevel=error)
    touch tools/node/node_modules
  fi
fi

# botocore (the API models and the reference signer) and moto (an independent AWS emulator) live in the
# machine's default python3; install them with pip only where they are missing.
if ! python3 -c 'import botocore, moto' 2>/dev/null; then
  python3 -m pip install --quiet 'moto[server]' botocore || {
    echo "setup: python3 has no botocore/moto and pip could not install them" >&2; exit 1; }
fi
echo "setup: ok"
