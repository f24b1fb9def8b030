#!/usr/bin/env bash
# Runs the whole pipeline on this machine, with no Docker and no AWS account:
#   ./run-local.sh       builds (when sources changed), starts the local AWS stack and the three services, and
#                        Prometheus with the alert rules when it is installed
#   ./run-local.sh --detector.input.key=device.id --detector.input.features=temperature,pressure ...
#                        the same for your own records (docs/detector.md, "Any stream"): the detector's settings
#                        (--detector.*) go to the detector, and the producer starts idle, so that only what you put
#                        on the stream (trade-producer.jar replay --input FILE, printed below) is scored
#   ./run-local.sh aws   starts only the local AWS stack on the fixed ports (Kinesis 4568, DynamoDB 4569, S3 4570)
# Ctrl-C stops everything this script started. Logs go to .local-aws/logs/, archived objects to .local-aws/s3/.
# Other ports (e.g. beside another run): PRODUCER_PORT, DETECTOR_PORT, ARCHIVER_PORT (8081-8083), PROMETHEUS_PORT
# (9090), LOCAL_AWS_FREE_PORTS=true (the emulators on free ports) and LOCAL_AWS_DATA (.local-aws) for the files.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DATA=${LOCAL_AWS_DATA:-$ROOT/.local-aws}
LOGS="$DATA/logs"
MODE=all
DETECTOR_ARGS=()
for arg in "$@"; do
  case "$arg" in
    aws) MODE=aws ;;
    --detector.*=*) DETECTOR_ARGS+=("$arg") ;;
    *) MODE=bad ;;
  esac
done
OWN_RECORDS=false
QUERY_ARGS=""
for arg in ${DETECTOR_ARGS[@]+"${DETECTOR_ARGS[@]}"}; do
  # another stream than the producer's trades: the producer stays idle
  case "$arg" in
    --detector.input.key=tickerSymbol | --detector.input.features=price,quantity | --detector.input.label=*) ;;
    --detector.input.*) OWN_RECORDS=true ;;
  esac
  [[ $arg == --detector.input.key=* || $arg == --detector.input.features=* ]] && QUERY_ARGS+=" '$arg'"
done
SERVICES=(trade-producer anomaly-detector s3-archiver)
PORTS=("${PRODUCER_PORT:-8081}" "${DETECTOR_PORT:-8082}" "${ARCHIVER_PORT:-8083}")
PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
LOCAL_AWS_ARGS=()
[[ ${LOCAL_AWS_FREE_PORTS:-false} == true ]] && LOCAL_AWS_ARGS+=(--free-ports)
PIDS=()

die() { echo "run-local: $*" >&2; exit 1; }

case "$MODE" in all|aws) ;; *) die "usage: ./run-local.sh [aws] [--detector.<setting>=<value> ...]";; esac

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
  for jar in local-aws/target/local-aws-exec.jar archive-query/target/archive-query.jar "${SERVICES[@]/%/.jar}"; do
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
java -jar local-aws/target/local-aws-exec.jar --data-dir "$DATA" --parent-pid $$ ${LOCAL_AWS_ARGS[@]+"${LOCAL_AWS_ARGS[@]}"} \
  >"$LOGS/local-aws.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  grep -q "LOCAL-AWS READY" "$LOGS/local-aws.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -20 "$LOGS/local-aws.log"; die "the local AWS stack did not start"; }
  sleep 0.5
done
grep -q "LOCAL-AWS READY" "$LOGS/local-aws.log" || die "the local AWS stack was not ready in 90 s (see $LOGS/local-aws.log)"
ready=$(grep -m1 "LOCAL-AWS READY" "$LOGS/local-aws.log")
endpoint() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$ready"; }
KINESIS=$(endpoint kinesis)
DYNAMODB=$(endpoint dynamodb)
S3=$(endpoint s3)

cat <<INFO

Local AWS stack (region us-east-1, access key test, secret test):
  Kinesis   $KINESIS   streams stock-trades (2 shards), anomalous-trades (1 shard)
  DynamoDB  $DYNAMODB   KCL lease tables anomaly-detector, s3-archiver
  S3        $S3   bucket anomalous-trades-archive (files under $DATA/s3/)
  e.g.      aws --endpoint-url $KINESIS kinesis list-streams
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
  own=()
  case $svc in
    anomaly-detector)
      own=(--detector.producer-url="http://127.0.0.1:${PORTS[0]}" --detector.archiver-url="http://127.0.0.1:${PORTS[2]}"
        ${DETECTOR_ARGS[@]+"${DETECTOR_ARGS[@]}"}) ;;
    trade-producer) [[ $OWN_RECORDS == true ]] && own=(--producer.running=false) ;;
  esac
  # the port variables of this script are not settings: DETECTOR_PORT would read as detector.port, refused as unknown
  env -u PRODUCER_PORT -u DETECTOR_PORT -u ARCHIVER_PORT \
    java ${JAVA_OPTS:-} -jar "$svc/target/$svc.jar" --spring.profiles.active=local --pipeline.parent-pid=$$ \
    --server.port="${PORTS[i]}" --pipeline.aws.kinesis.endpoint="$KINESIS" \
    --pipeline.aws.dynamodb.endpoint="$DYNAMODB" --pipeline.aws.s3.endpoint="$S3" \
    ${own[@]+"${own[@]}"} >"$LOGS/$svc.log" 2>&1 &
  PIDS+=($!)
done

# Prometheus (Debian's package), when it is installed: scrapes the three services, evaluates the alert rules.
PROMETHEUS_URL=
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! command -v prometheus >/dev/null; then
  echo "Prometheus is not installed (for local alerts: sudo apt-get install prometheus, then sudo systemctl stop prometheus so that Debian's own service leaves :9090)."
elif port_busy "$PROMETHEUS_PORT"; then
  echo "Prometheus not started: port $PROMETHEUS_PORT is busy (Debian's own service? sudo systemctl stop prometheus; or PROMETHEUS_PORT=9091 ./run-local.sh)."
else
  echo "Starting Prometheus on port $PROMETHEUS_PORT..."
  mkdir -p "$DATA/prometheus"
  monitoring/prometheus/local-config.sh "${PORTS[@]}" >"$DATA/prometheus/prometheus.yml"
  prometheus --config.file="$DATA/prometheus/prometheus.yml" --storage.tsdb.path="$DATA/prometheus/data" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$LOGS/prometheus.log" 2>&1 &
  PIDS+=($!)
  PROMETHEUS_URL="http://127.0.0.1:$PROMETHEUS_PORT"
  # it has no parent watch of its own: it goes when this script goes, however it goes
  prometheus_pid=$!
  (while kill -0 $$ 2>/dev/null; do sleep 2; done; kill "$prometheus_pid" 2>/dev/null) &
fi

echo "Waiting for the services to report UP..."
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
if [[ -n $PROMETHEUS_URL ]]; then
  for _ in $(seq 1 60); do curl -fsS "$PROMETHEUS_URL/-/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "$PROMETHEUS_URL/-/ready" >/dev/null 2>&1 || echo "  Prometheus not ready (see $LOGS/prometheus.log)"
fi

cat <<INFO

Trade Anomaly Pipeline is running.
  trade-producer    http://127.0.0.1:${PORTS[0]}/api/producer/settings   (pid ${PIDS[1]})
  anomaly-detector  http://127.0.0.1:${PORTS[1]}/   (live anomaly page)   http://127.0.0.1:${PORTS[1]}/api/anomalies   (pid ${PIDS[2]})
  s3-archiver       http://127.0.0.1:${PORTS[2]}/api/archiver/status   (pid ${PIDS[3]})
  REST docs         http://127.0.0.1:{${PORTS[0]},${PORTS[1]},${PORTS[2]}}/swagger-ui.html
  metrics           http://127.0.0.1:{${PORTS[0]},${PORTS[1]},${PORTS[2]}}/actuator/prometheus
  archive files     $DATA/s3/anomalous-trades-archive/
  SQL over them     java -jar archive-query/target/archive-query.jar$([[ $DATA == "$ROOT/.local-aws" ]] || echo " --archive $DATA/s3/anomalous-trades-archive") $([[ $OWN_RECORDS == true ]] && echo "$QUERY_ARGS --example per-key" || echo "--example per-ticker-per-minute")   (docs/query.md)
  logs              $LOGS/
INFO
if [[ $OWN_RECORDS == true ]]; then
  cat <<INFO
  your records      java -jar trade-producer/target/trade-producer.jar replay --input FILE [--rate 100/s] [--key FIELD] \\
                      --spring.profiles.active=local --pipeline.aws.kinesis.endpoint=$KINESIS
                    (the producer generates no trades in this run; JSON lines or CSV with a header)
INFO
fi
if [[ -n $PROMETHEUS_URL ]]; then
  cat <<INFO
  Prometheus        $PROMETHEUS_URL/   alerts: $PROMETHEUS_URL/alerts   targets: $PROMETHEUS_URL/targets
                    (e.g. kill ${PIDS[3]}, the archiver: PipelineServiceDown fires after a minute)
INFO
fi
cat <<INFO

  admin user: admin   password: $PIPELINE_ADMIN_PASSWORD
  e.g. curl -u admin:\$PASSWORD -X PUT -H 'Content-Type: application/json' \\
         -d '{"outlierRate":0.1}' http://127.0.0.1:${PORTS[0]}/api/producer/settings

Press Ctrl-C to stop.
INFO
# A service or Prometheus that exits is reported and the rest goes on (its alert can fire); the stack is needed by all.
names=(local-aws "${SERVICES[@]}" prometheus)
reported=()
while kill -0 "${PIDS[0]}" 2>/dev/null; do
  for i in "${!PIDS[@]}"; do
    if [[ -z ${reported[i]:-} ]] && ! kill -0 "${PIDS[i]}" 2>/dev/null; then
      reported[i]=1
      echo "${names[i]} (pid ${PIDS[i]}) exited (see $LOGS/); the rest keeps running, Ctrl-C stops it."
    fi
  done
  sleep 2 & wait $! || true
done
echo "The local AWS stack exited; stopping the rest."
