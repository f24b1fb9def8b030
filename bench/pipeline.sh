#!/usr/bin/env bash
# The pipeline benchmark: the detector's and archiver's real jars on the local AWS stack (free ports), driven by a
# load generator in the benchmark's JVM. Defaults: steps of 1,000, 2,500, 5,000 and 7,500 trades/s asked, 60 s each.
#   bench/pipeline.sh [-Dbench.rates=1000,2500,5000,7500] [-Dbench.step-seconds=60] [-Dbench.variants=default,idle1500,kda]
#                     [-Dbench.soak-minutes=30 -Dbench.soak-rate=1000 -Dbench.soak-period-minutes=5] [-Dbench.in-flight=4]
# Prints one Markdown table (docs/performance.md). The steps take about 10 minutes, a soak its length on top.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q -pl deployment test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
cd deployment
exec java "$@" -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.tradeanomaly.deployment.PipelineBenchmark
