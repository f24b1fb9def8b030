#!/usr/bin/env bash
# The detection-quality matrices (docs/detector.md, "Detection quality"), each written into docs/detector.md between its
# markers with the command and date:
# - trades: every workload x outlier rate (1, 5, 10 %) x seed, with the detector's defaults and with KDA's setup, each a
#   backtest of the live scoring code; plus the severity-ranking workloads (quality-table markers).
# - series: the generated time-series corpora (single-value, KPI, sensor runs, servers; the held-out shapes, seeds 1-3)
#   with the default for any stream, KDA's setup, the calibrated method and a rolling z-score (series-table markers).
#   bench/quality.sh [trades|series] [--trades=200000] [--seeds=1,2,3] [--threads=2] [--detector.<property>=<value> ...]
# Both by default. Trades: about two hours on 2 cores with the defaults, --trades=50000 about 30 minutes; series: about
# ten minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
part=both
if [[ "${1:-}" == trades || "${1:-}" == series ]]; then
  part=$1
  shift
fi
./mvnw -B -q -pl anomaly-detector -am -Dnpm.skip -DskipTests install
./mvnw -B -q -pl anomaly-detector dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/quality-classpath.txt -Dnpm.skip
# the code under test is copied aside, so that a rebuild during the run cannot change it
run=anomaly-detector/target/quality-run
rm -rf "$run" && mkdir -p "$run" && cp -r anomaly-detector/target/classes anomaly-detector/target/test-classes "$run"/
cp="$run/test-classes:$run/classes:$(cat anomaly-detector/target/quality-classpath.txt)"

# replaces the block between <!-- NAME:start --> and <!-- NAME:end --> in docs/detector.md with a file's content
write_block() {
  python3 - "$1" "$2" <<'PY'
import re, sys, pathlib
name, path = sys.argv[1], sys.argv[2]
doc = pathlib.Path("docs/detector.md")
block = pathlib.Path(path).read_text()
text = doc.read_text()
pattern = re.compile(r"<!-- %s:start -->.*?<!-- %s:end -->\n?" % (name, name), re.S)
if not pattern.search(text):
    raise SystemExit("docs/detector.md has no %s markers" % name)
doc.write_text(pattern.sub(lambda _: block, text))
PY
}

if [[ $part == series || $part == both ]]; then
  series=anomaly-detector/target/series-tables.md
  java -Xmx3g -cp "$cp" io.tradeanomaly.detector.quality.series.SeriesHarness --held-out \
    --corpora=single,kpi,sensor,server --size=1 --seeds=1,2,3 "--methods=default;kda;calibrated-as-trades;zscore" \
    > "$series"
  {
    echo "<!-- series-table:start -->"
    echo "\`bench/quality.sh series\` on $(date -u +%Y-%m-%d) (held-out corpora, seeds 1, 2, 3):"
    cat "$series"
    echo
    echo "<!-- series-table:end -->"
  } > anomaly-detector/target/series-block.md
  write_block series-table anomaly-detector/target/series-block.md
  cat anomaly-detector/target/series-block.md
fi
[[ $part == series ]] && exit 0

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
write_block quality-table anomaly-detector/target/quality-block.md
cat anomaly-detector/target/quality-block.md
