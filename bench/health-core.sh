#!/usr/bin/env bash
# JMH benchmark of health-core (bench/health-core-jmh): a cached report and an uncached report of 10 checks.
# Installs health-core (tests skipped), builds the benchmark jar and runs it with short settings (~1-2 min on 2 cores).
# Extra arguments go to JMH, e.g.: bench/health-core.sh -wi 5 -i 10 -f 2
# Output: JMH's table on stdout and bench/results/health-core-jmh.json.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

./mvnw -B -q -pl health-core install -DskipTests
./mvnw -B -q -f bench/health-core-jmh/pom.xml package

mkdir -p bench/results
JMH_ARGS=("$@")
if [ ${#JMH_ARGS[@]} -eq 0 ]; then
  # Short settings: 3 warm-up and 5 measured iterations of 2 s, one fork, per benchmark.
  JMH_ARGS=(-wi 3 -w 2s -i 5 -r 2s -f 1)
fi
java -jar bench/health-core-jmh/target/benchmarks.jar HealthReportBenchmark \
  "${JMH_ARGS[@]}" -rf json -rff bench/results/health-core-jmh.json
