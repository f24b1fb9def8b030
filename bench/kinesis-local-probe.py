#!/usr/bin/env python3
"""The project's Kinesis emulator alone, without the pipeline: how its calls scale as one shard fills up.

    python3 bench/kinesis-local-probe.py [--records 200000] [--report 2000,6000,12000,32000,100000,200000]
                                         [--warm-up 20000]

Needs boto3 and the installed (patched) emulator: `./mvnw -pl local-aws generate-resources` (npm ci in local-aws/).
After a warm-up (records put into another stream, so that V8 has compiled the emulator's code), it fills a one-shard
stream with 500-record PutRecords of a 130-byte trade and, at each report point, times:
PutRecords (records/s over the last 4 calls), one PutRecord, GetRecords at the tip (an iterator AFTER the last
record, as a caught-up consumer holds), GetRecords from TRIM_HORIZON, ListShards, and the emulator's RSS.
The figures in docs (Performance, local AWS stack) come from this script.
"""
import argparse
import json
import os
import socket
import subprocess
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINESIS = os.path.join(ROOT, "local-aws", "node_modules", "kinesis-local")
GUARD = os.path.join(ROOT, "local-aws", "src", "main", "resources", "io", "tradeanomaly", "localaws",
                     "loopback-guard.js")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000, help="records to put in all")
    parser.add_argument("--report", default="2000,6000,12000,32000,100000,200000,500000,1000000",
                        help="record counts at which to measure")
    parser.add_argument("--node-args", default="",
                        help="extra node options, e.g. --prof (then: node --prof-process isolate-*.log)")
    parser.add_argument("--warm-up", type=int, default=20_000,
                        help="records put into a separate stream first, so that V8 has compiled the emulator's code "
                             "before the first report point (0: none)")
    parser.add_argument("--max-records-per-shard", type=int, default=0,
                        help="the emulator's retention cap (KINESIS_MOCK_MAX_RECORDS_PER_SHARD; 0 keeps everything)")
    args = parser.parse_args()
    report = sorted(int(x) for x in args.report.split(",") if int(x) <= args.records)

    plain, tls = free_port(), free_port()
    env = dict(os.environ, KINESIS_MOCK_PLAIN_PORT=str(plain), KINESIS_MOCK_TLS_PORT=str(tls),
               KINESIS_MOCK_CERT_PATH=os.path.join(KINESIS, "server.json"), LOG_LEVEL="WARN",
               CREATE_STREAM_DURATION="100ms", AWS_REGION="us-east-1", AWS_ACCOUNT_ID="000000000000",
               LOCAL_AWS_BIND_HOST="127.0.0.1", KINESIS_MOCK_MAX_RECORDS_PER_SHARD=str(args.max_records_per_shard))
    emulator = subprocess.Popen(["node", *args.node_args.split(), "-r", GUARD, os.path.join(KINESIS, "main.js")],
                                env=env, cwd=os.getcwd(),
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kinesis = boto3.client("kinesis", endpoint_url=f"http://127.0.0.1:{plain}", region_name="us-east-1",
                               aws_access_key_id="probe", aws_secret_access_key="probe")
        for _ in range(150):
            try:
                kinesis.list_streams()
                break
            except Exception:  # not listening yet
                time.sleep(0.2)
        trade = json.dumps({"tickerSymbol": "AAPL", "tradeType": "BUY", "price": 190.12, "quantity": 100,
                            "id": 1, "tradeTime": "2026-11-26T12:00:00.000Z"})
        batch = [{"Data": trade, "PartitionKey": "AAPL"}] * 500
        shard = "shardId-000000000000"
        for stream in (["warm-up"] if args.warm_up > 0 else []) + ["probe"]:
            kinesis.create_stream(StreamName=stream, ShardCount=1)
            kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1})
        for _ in range(0, args.warm_up, 500):
            kinesis.put_records(StreamName="warm-up", Records=batch)
            iterator = kinesis.get_shard_iterator(StreamName="warm-up", ShardId=shard,
                                                  ShardIteratorType="LATEST")["ShardIterator"]
            kinesis.get_records(ShardIterator=iterator, Limit=10000)
        print("| records in the shard | PutRecords rec/s | PutRecord ms | GetRecords at the tip ms "
              "| GetRecords from TRIM_HORIZON ms | ListShards ms | emulator RSS MB |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        total, last_seq, window = 0, None, []
        for point in report:
            while total < point:
                response, took = timed(lambda: kinesis.put_records(StreamName="probe", Records=batch))
                last_seq = response["Records"][-1]["SequenceNumber"]
                total += 500
                window = (window + [took])[-4:]
            put_rate = 500 * len(window) / (sum(window) / 1000)
            response, put_one = timed(lambda: kinesis.put_record(StreamName="probe", Data=trade, PartitionKey="AAPL"))
            last_seq = response["SequenceNumber"]
            total += 1
            iterator = kinesis.get_shard_iterator(StreamName="probe", ShardId=shard,
                                                  ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                                  StartingSequenceNumber=last_seq)["ShardIterator"]
            _, tip = timed(lambda: kinesis.get_records(ShardIterator=iterator, Limit=10000))
            iterator = kinesis.get_shard_iterator(StreamName="probe", ShardId=shard,
                                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            _, horizon = timed(lambda: kinesis.get_records(ShardIterator=iterator, Limit=10000))
            _, shards = timed(lambda: kinesis.list_shards(StreamName="probe"))
            print(f"| {point:,} | {put_rate:,.0f} | {put_one:.0f} | {tip:.0f} | {horizon:.0f} | {shards:.0f} "
                  f"| {rss_mb(emulator.pid):,.0f} |", flush=True)
    finally:
        emulator.kill()


if __name__ == "__main__":
    main()
