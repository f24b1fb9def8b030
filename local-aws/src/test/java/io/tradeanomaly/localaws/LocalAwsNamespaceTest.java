package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalAwsNamespaceTest {

    @Test
    void isolatedNamesMapBackToTheDefaultsTheyStandFor() {
        LocalAwsNamespace names = LocalAwsNamespace.isolated("DetectorRestartIT");
        String calls = String.join(
                "\n",
                "kinesis:PutRecords arn:aws:kinesis:us-east-1:*:stream/" + names.anomaliesStream(),
                "kinesis:GetRecords arn:aws:kinesis:us-east-1:*:stream/" + names.tradesStream(),
                "dynamodb:Query arn:aws:dynamodb:us-east-1:*:table/" + names.detectorApplication()
                        + "/index/LeaseOwnerToLeaseKeyIndex",
                "dynamodb:GetItem arn:aws:dynamodb:us-east-1:*:table/" + names.archiverApplication()
                        + "-CoordinatorState",
                "s3:PutObject arn:aws:s3:::" + names.bucket() + "/errors/anomaly-detector/2026/x.json",
                "s3:ListObjectsV2 arn:aws:s3:::" + names.bucket() + " prefix=2026/12/02/03/");

        assertThat(LocalAwsNamespace.defaultNamesIn(calls))
                .isEqualTo(String.join(
                        "\n",
                        "kinesis:PutRecords arn:aws:kinesis:us-east-1:*:stream/anomalous-trades",
                        "kinesis:GetRecords arn:aws:kinesis:us-east-1:*:stream/stock-trades",
                        "dynamodb:Query arn:aws:dynamodb:us-east-1:*:table/anomaly-detector/index/LeaseOwnerToLeaseKeyIndex",
                        "dynamodb:GetItem arn:aws:dynamodb:us-east-1:*:table/s3-archiver-CoordinatorState",
                        "s3:PutObject arn:aws:s3:::anomalous-trades-archive/errors/anomaly-detector/2026/x.json",
                        "s3:ListObjectsV2 arn:aws:s3:::anomalous-trades-archive prefix=2026/12/02/03/"));
        assertThat(LocalAwsNamespace.defaultNamesIn("s3:GetObject arn:aws:s3:::anomalous-trades-archive/a"))
                .isEqualTo("s3:GetObject arn:aws:s3:::anomalous-trades-archive/a");
    }
}
