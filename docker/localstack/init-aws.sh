#!/bin/bash
# LocalStack init hook (ready.d): the pipeline's streams, bucket and KCL lease tables, each lease table created with
# its LeaseOwnerToLeaseKeyIndex (what KCL 3.x would create itself; see pipeline-common LeaseTables).
set -euo pipefail
awslocal kinesis create-stream --stream-name stock-trades --shard-count 2
awslocal kinesis create-stream --stream-name anomalous-trades --shard-count 1
awslocal s3 mb s3://anomalous-trades-archive
for app in anomaly-detector s3-archiver; do
  awslocal dynamodb create-table --table-name "$app" --billing-mode PAY_PER_REQUEST \
    --attribute-definitions AttributeName=leaseKey,AttributeType=S AttributeName=leaseOwner,AttributeType=S \
    --key-schema AttributeName=leaseKey,KeyType=HASH \
    --global-secondary-indexes \
      'IndexName=LeaseOwnerToLeaseKeyIndex,KeySchema=[{AttributeName=leaseOwner,KeyType=HASH},{AttributeName=leaseKey,KeyType=RANGE}],Projection={ProjectionType=KEYS_ONLY}'
done
awslocal kinesis wait stream-exists --stream-name stock-trades
awslocal kinesis wait stream-exists --stream-name anomalous-trades
touch /tmp/pipeline-ready
echo "trade anomaly pipeline resources ready"
