#!/bin/sh
# Installs the pinned npm packages of this folder with `npm ci`, unless node_modules already matches
# package-lock.json (a copy of the lock file is kept in node_modules as the stamp).
set -eu
cd "$(dirname "$0")"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ERROR: '$tool' is not on PATH. The ACP tests run real agents on Node.js: install Node.js 20 or newer with npm (e.g. 'apt-get install nodejs npm' or https://nodejs.org)." >&2
    exit 1
  fi
done
stamp=node_modules/.overnight-package-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "Installing the pinned ACP test peers in $(pwd) (npm ci)..."
start=$(date +%s)
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
echo "Installed in $(( $(date +%s) - start )) s."
