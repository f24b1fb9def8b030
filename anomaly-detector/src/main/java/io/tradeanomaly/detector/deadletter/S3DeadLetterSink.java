package io.tradeanomaly.detector.deadletter;

import io.tradeanomaly.common.trade.RecordCodec;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Dead letters as newline-delimited JSON objects in S3, one object per batch under
 * {@code <prefix>YYYY/MM/DD/HH/<shard>-<first sequence number>.json} (UTC, hour of the first record's arrival), like
 * Firehose's error output. The key depends only on the records, so a replayed batch overwrites its own object.
 */
public class S3DeadLetterSink implements DeadLetterSink {

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final RecordCodec codec;

    public S3DeadLetterSink(S3Client s3, String bucket, String prefix, RecordCodec codec) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.codec = codec;
    }

    @Override
    public void write(String shardId, List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        DeadLetter first = letters.get(0);
        String key = prefix + HOUR.format(first.approximateArrivalTimestamp()) + shardId + "-" + first.sequenceNumber()
                + ".json";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (DeadLetter letter : letters) {
            body.writeBytes(codec.encodeValue(letter));
            body.write('\n');
        }
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
                RequestBody.fromBytes(body.toByteArray()));
    }
}
