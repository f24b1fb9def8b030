#!/usr/bin/env bash
# JMH benchmarks of the detector's scoring path (anomaly-detector/src/test/java/.../bench), in one JMH invocation.
#   bench/jmh.sh [JMH options, e.g. ScoringBenchmark -f 1 -wi 3 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl anomaly-detector -am -Dnpm.skip test-compile
./mvnw -B -q -pl anomaly-detector dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dnpm.skip
cp="anomaly-detector/target/test-classes:anomaly-detector/target/classes:$(cat anomaly-detector/target/jmh-classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-ScoringBenchmark}"
