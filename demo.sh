#!/usr/bin/env bash
# The README's demo command: builds the plugins, starts a single-node Kafka broker and a Connect
# worker with the four plugins installed from their archives, and prints the REST URL.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -ntp -q -DskipTests package
exec java -Dmlconnector.home="$PWD" -Dmlconnector.work="$PWD/.demo" \
  -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" \
  io.mlconnector.it.demo.Demo "$@"
