#!/usr/bin/env bash
# Type-checks the engine with each service feature alone, so no check depends on another's
# feature by accident; and healthcheckx-web with each framework alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo check -p healthcheckx --quiet --no-default-features
for feature in redis postgres mysql rabbitmq mongodb sqlite http memcached kafka activemq mssql oracle disk; do
    cargo check -p healthcheckx --quiet --no-default-features --features "$feature"
done
# The web crate: none of its frameworks, then each alone.
for feature in "" axum actix-web tonic; do
    cargo check -p healthcheckx-web --quiet --lib --no-default-features ${feature:+--features "$feature"}
done
