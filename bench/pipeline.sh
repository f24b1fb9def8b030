#!/usr/bin/env bash
# The pipeline benchmark: the detector's and archiver's real jars on the local AWS stack, driven at increasing rates.
#   bench/pipeline.sh [-Dbench.rates=100,500,1000,2500] [-Dbench.step-seconds=30]
# Prints one Markdown table (README, "Performance"). Takes about 15 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q -pl deployment test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
cd deployment
exec java "$@" -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.tradeanomaly.deployment.PipelineBenchmark
