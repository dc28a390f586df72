#!/usr/bin/env bash
# Type-checks the engine with each service feature alone, so no check depends on another's
# feature by accident.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo check -p healthcheckx --quiet --no-default-features
for feature in redis postgres mysql rabbitmq mongodb sqlite http memcached kafka activemq mssql oracle disk; do
    cargo check -p healthcheckx --quiet --no-default-features --features "$feature"
done
