#!/usr/bin/env python3
"""kinesis-local alone, without the pipeline: how fast it takes PutRecords as its shard fills up.

    python3 bench/kinesis-local-probe.py [rounds]      (needs boto3 and `./mvnw -pl local-aws package` for node_modules)

Each round puts 2,000 records (4 PutRecords of 500) into a one-shard stream and, every few rounds, times a GetRecords at
the tip. The figures in the README's "Performance" section come from this script.
"""
import json
import os
import subprocess
import sys
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINESIS = os.path.join(ROOT, "local-aws", "node_modules", "kinesis-local")
PORT = 45111


def main(rounds):
    env = dict(os.environ, KINESIS_MOCK_PLAIN_PORT=str(PORT), KINESIS_MOCK_TLS_PORT=str(PORT + 1),
               KINESIS_MOCK_CERT_PATH=os.path.join(KINESIS, "server.json"), LOG_LEVEL="WARN",
               CREATE_STREAM_DURATION="100ms", AWS_REGION="us-east-1", AWS_ACCOUNT_ID="000000000000")
    emulator = subprocess.Popen(["node", os.path.join(KINESIS, "main.js")], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kinesis = boto3.client("kinesis", endpoint_url=f"http://127.0.0.1:{PORT}", region_name="us-east-1",
                               aws_access_key_id="probe", aws_secret_access_key="probe")
        for _ in range(150):
            try:
                kinesis.list_streams()
                break
            except Exception:  # not listening yet
                time.sleep(0.2)
        kinesis.create_stream(StreamName="probe", ShardCount=1)
        kinesis.get_waiter("stream_exists").wait(StreamName="probe", WaiterConfig={"Delay": 1})
        trade = json.dumps({"tickerSymbol": "AAPL", "tradeType": "BUY", "price": 190.12, "quantity": 100,
                            "id": 1, "tradeTime": "2026-11-26T12:00:00.000Z"})
        total = 0
        for i in range(rounds):
            start = time.time()
            for _ in range(4):
                kinesis.put_records(StreamName="probe", Records=[{"Data": trade, "PartitionKey": "AAPL"}] * 500)
            took = time.time() - start
            total += 2000
            if i < 3 or i % 5 == 0:
                iterator = kinesis.get_shard_iterator(StreamName="probe", ShardId="shardId-000000000000",
                                                      ShardIteratorType="LATEST")["ShardIterator"]
                get = time.time()
                kinesis.get_records(ShardIterator=iterator, Limit=10000)
                get = time.time() - get
                print(f"{total:>7} records in the shard: {2000 / took:6.0f} records/s put "
                      f"({took / 4 * 1000:.0f} ms per 500-record PutRecords); GetRecords at the tip {get * 1000:.0f} ms",
                      flush=True)
    finally:
        emulator.kill()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
