#!/usr/bin/env bash
# Runs the whole pipeline on this machine, with no Docker and no AWS account:
#   ./run-local.sh       builds (when sources changed), starts the local AWS stack and the three services
#   ./run-local.sh aws   starts only the local AWS stack on the fixed ports (Kinesis 4568, DynamoDB 4569, S3 4570)
# Ctrl-C stops everything this script started. Logs go to .local-aws/logs/, archived objects to .local-aws/s3/.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DATA="$ROOT/.local-aws"
LOGS="$DATA/logs"
MODE=${1:-all}
SERVICES=(trade-producer anomaly-detector s3-archiver)
PORTS=(8081 8082 8083)
PIDS=()

die() { echo "run-local: $*" >&2; exit 1; }

case "$MODE" in all|aws) ;; *) die "usage: ./run-local.sh [aws]";; esac

command -v java >/dev/null || die "Java 17+ is required (java not found)"
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[[ ${java_major%%.*} -ge 17 ]] || die "Java 17+ is required (found $java_major)"
command -v node >/dev/null || die "Node.js 18+ is required for the Kinesis and DynamoDB emulators (node not found)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[[ $node_major -ge 18 ]] || die "Node.js 18+ is required (found $(node --version))"

stop_all() {
  trap - INT TERM EXIT
  if ((${#PIDS[@]})); then
    echo
    echo "Stopping..."
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    done
  fi
  echo "Stopped."
}
trap stop_all EXIT
trap 'exit 130' INT TERM

needs_build() {
  local jar
  for jar in local-aws/target/local-aws-exec.jar "${SERVICES[@]/%/.jar}"; do
    [[ $jar == */* ]] || jar="${jar%.jar}/target/$jar"
    [[ -f $jar ]] || return 0
    [[ -n $(find pom.xml */pom.xml */src local-aws/package-lock.json local-aws/patches -newer "$jar" -type f -print -quit 2>/dev/null) ]] && return 0
  done
  [[ -f local-aws/node_modules/kinesis-local/main.js ]] || return 0
  return 1
}

if needs_build; then
  echo "Building (./mvnw -B -q -DskipTests package)..."
  ./mvnw -B -q -DskipTests package
fi

mkdir -p "$LOGS"
echo "Starting the local AWS stack..."
java -jar local-aws/target/local-aws-exec.jar --data-dir "$DATA" --parent-pid $$ >"$LOGS/local-aws.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  grep -q "LOCAL-AWS READY" "$LOGS/local-aws.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -20 "$LOGS/local-aws.log"; die "the local AWS stack did not start"; }
  sleep 0.5
done
grep -q "LOCAL-AWS READY" "$LOGS/local-aws.log" || die "the local AWS stack was not ready in 90 s (see $LOGS/local-aws.log)"

cat <<INFO

Local AWS stack (region us-east-1, access key test, secret test):
  Kinesis   http://127.0.0.1:4568   streams stock-trades (2 shards), anomalous-trades (1 shard)
  DynamoDB  http://127.0.0.1:4569   KCL lease tables anomaly-detector, s3-archiver
  S3        http://127.0.0.1:4570   bucket anomalous-trades-archive (files under $DATA/s3/)
  e.g.      aws --endpoint-url http://127.0.0.1:4568 kinesis list-streams
INFO

if [[ $MODE == aws ]]; then
  echo
  echo "Press Ctrl-C to stop."
  wait "${PIDS[0]}"
  exit 0
fi

export PIPELINE_ADMIN_PASSWORD=${PIPELINE_ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)}
for i in "${!SERVICES[@]}"; do
  svc=${SERVICES[i]}
  echo "Starting $svc on port ${PORTS[i]}..."
  java ${JAVA_OPTS:-} -jar "$svc/target/$svc.jar" --spring.profiles.active=local --pipeline.parent-pid=$$ \
    >"$LOGS/$svc.log" 2>&1 &
  PIDS+=($!)
done

echo "Waiting for the services to report UP (KCL consumers take up to ~45 s to get their first leases)..."
for i in "${!SERVICES[@]}"; do
  svc=${SERVICES[i]}
  pid=${PIDS[i + 1]}
  up=
  for _ in $(seq 1 240); do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$LOGS/$svc.log"; die "$svc exited (see $LOGS/$svc.log)"; }
    if curl -fsS "http://127.0.0.1:${PORTS[i]}/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then up=1; break; fi
    sleep 0.5
  done
  [[ -n $up ]] && echo "  $svc UP" || echo "  $svc not UP after 120 s (see $LOGS/$svc.log)"
done

cat <<INFO

Trade Anomaly Pipeline is running.
  trade-producer    http://127.0.0.1:8081/api/producer/settings
  anomaly-detector  http://127.0.0.1:8082/   (live anomaly page)   http://127.0.0.1:8082/api/anomalies
  s3-archiver       http://127.0.0.1:8083/api/archiver/status
  REST docs         http://127.0.0.1:808{1,2,3}/swagger-ui.html
  metrics           http://127.0.0.1:808{1,2,3}/actuator/prometheus
  archive files     $DATA/s3/anomalous-trades-archive/
  logs              $LOGS/

  admin user: admin   password: $PIPELINE_ADMIN_PASSWORD
  e.g. curl -u admin:\$PASSWORD -X PUT -H 'Content-Type: application/json' \\
         -d '{"outlierRate":0.1}' http://127.0.0.1:8081/api/producer/settings

Press Ctrl-C to stop.
INFO
wait -n "${PIDS[@]}" || true
echo "A process exited; stopping the rest."
