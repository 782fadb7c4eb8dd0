#!/usr/bin/env bash
# Adds a migration to both provider sets so they stay in step: ./migrations.sh AddWallets
set -euo pipefail
name=${1:?usage: ./migrations.sh MigrationName}
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
for ctx in Postgres Sqlite; do
  dotnet ef migrations add "$name" --project src/SuperApp --context "${ctx}DbContext" \
    --output-dir "Data/Migrations/$ctx"
done
