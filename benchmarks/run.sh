#!/usr/bin/env bash
# The benchmarks of the README: builds the plugins and the harness, then runs every benchmark on a real broker and
# Connect worker with the simulators and prints one table (also in benchmarks/target/results.md).
# ./benchmarks/run.sh [--size smoke|full]   (smoke by default: a minute or two; full: the issue's load)
# Exits 1 when a figure misses a bar the size judges (smoke: calls per record and 429s; full: every bar).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q -DskipTests package -pl benchmarks -am
exec java -Dmlconnector.home="$PWD" -Dmlconnector.work="$PWD/benchmarks/target/bench-cluster" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.mlconnector.bench.Benchmarks "$@"
