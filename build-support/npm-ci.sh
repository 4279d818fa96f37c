#!/bin/sh
# Usage: npm-ci.sh DIR PURPOSE
# Installs the pinned npm packages of DIR with `npm ci`, unless DIR/node_modules already matches
# DIR/package-lock.json (a copy of the lock file is kept in node_modules as the stamp). PURPOSE says
# in the error and progress lines what the packages are for. The ACP tests and the ACP benchmark
# both use it, so a missing Node.js reads the same everywhere.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 DIR PURPOSE" >&2
  exit 2
fi
cd "$1"
purpose=$2
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ERROR: '$tool' is not on PATH. $purpose need Node.js: install Node.js 20 or newer with npm (e.g. 'apt-get install nodejs npm' or https://nodejs.org)." >&2
    exit 1
  fi
done
stamp=node_modules/.overnight-package-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "Installing the pinned npm packages for $purpose in $(pwd) (npm ci)..."
start=$(date +%s)
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
echo "Installed in $(( $(date +%s) - start )) s."
