#!/usr/bin/env bash
# The detection-quality matrix (docs/detector.md, "Detection quality"): every workload x outlier rate (1, 5, 10 %) x seed, with
# the detector's defaults and with KDA's setup, each a backtest of the live scoring code; plus the severity-ranking
# workloads. Writes the tables into docs/detector.md between the quality-table markers, with the command and date.
#   bench/quality.sh [--trades=200000] [--seeds=1,2,3] [--threads=2] [--detector.<property>=<value> ...]
# About two hours on 2 cores with the defaults; --trades=50000 about 30 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl anomaly-detector -am -Dnpm.skip -DskipTests install
./mvnw -B -q -pl anomaly-detector dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/quality-classpath.txt -Dnpm.skip
# the code under test is copied aside, so that a rebuild during the run cannot change it
run=anomaly-detector/target/quality-run
rm -rf "$run" && mkdir -p "$run" && cp -r anomaly-detector/target/classes anomaly-detector/target/test-classes "$run"/
cp="$run/test-classes:$run/classes:$(cat anomaly-detector/target/quality-classpath.txt)"
args=("--trades=200000" "--seeds=1,2,3" "--threads=2" "$@")
tables=anomaly-detector/target/quality-tables.md
java -Xmx3g -cp "$cp" io.tradeanomaly.detector.quality.QualityReport "${args[@]}" > "$tables"
{
  echo "<!-- quality-table:start -->"
  echo "\`bench/quality.sh ${*:-}\` on $(date -u +%Y-%m-%d) (${args[*]}; figures after each ticker's first 256 trades,"
  echo "worst of the seeds):"
  echo
  cat "$tables"
  echo "<!-- quality-table:end -->"
} > anomaly-detector/target/quality-block.md
python3 - <<'PY'
import re, pathlib
readme = pathlib.Path("docs/detector.md")
block = pathlib.Path("anomaly-detector/target/quality-block.md").read_text()
text = readme.read_text()
pattern = re.compile(r"<!-- quality-table:start -->.*?<!-- quality-table:end -->\n?", re.S)
if not pattern.search(text):
    raise SystemExit("docs/detector.md has no quality-table markers")
readme.write_text(pattern.sub(lambda _: block, text))
PY
cat anomaly-detector/target/quality-block.md
