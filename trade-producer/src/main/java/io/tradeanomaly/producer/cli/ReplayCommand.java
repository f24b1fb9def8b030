package io.tradeanomaly.producer.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.aws.AwsClientFactory;
import io.tradeanomaly.common.aws.PipelineAwsProperties;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.record.FieldPath;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordFiles;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.system.CommandLine;
import io.tradeanomaly.producer.system.ProducerProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import tools.jackson.databind.JsonNode;

/**
 * {@code replay --input FILE [--rate N/s] [--key FIELD]}: puts a user's file of records onto the input stream, so that
 * the pipeline can be tried on one's own data. JSON lines are put exactly as they are written (a line that is not a
 * record too: the detector dead-letters it, as it would on the stream); CSV rows as JSON objects. Each record's
 * partition key is the value of {@code --key} (dotted path), so that a key's records reach one shard in order.
 */
public final class ReplayCommand {

    static final String USAGE = """
            usage: replay --input FILE [--rate N/s] [--key FIELD] [--producer.stream=NAME] [--pipeline.aws.*=...]
                          [--spring.profiles.active=local]

            Puts the records of FILE onto the input stream (producer.stream, default stock-trades), in file order.
              --input FILE   JSON lines (put as written), or CSV with a header line (each row as a JSON object)
              --rate N/s     records per second (default 100; 0: as fast as the stream takes them)
              --key FIELD    the partition key: this field's value (dotted path, e.g. device.id); set it to the
                             detector's detector.input.key so that each key's records reach one shard in order.
                             Without it, records are spread over the shards by line number.
              --spring.profiles.active=local   the local AWS stack of ./run-local.sh; otherwise the AWS settings
                             of the environment (pipeline.aws.*, AWS_REGION, the default credentials chain)
            Progress goes to stderr. Exit status: 0 every record put, 1 some could not be put, 2 bad option or
            unreadable input.""";

    private ReplayCommand() {}

    public static int run(String[] args) throws Exception {
        int[] status = {0};
        int usage = CommandLine.execute(
                USAGE,
                args,
                Set.of("--input", "--rate", "--key"),
                Set.of("producer.", "pipeline.", "spring.", "logging."),
                command -> status[0] = replay(command));
        return usage != 0 ? usage : status[0];
    }

    /** Records per second from "500", "500/s" or "0". */
    static double rate(String text) {
        String value = text.strip();
        if (value.endsWith("/s")) {
            value = value.substring(0, value.length() - 2).strip();
        }
        try {
            double rate = Double.parseDouble(value);
            if (rate < 0 || !Double.isFinite(rate)) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new CommandLine.BadUsageException(
                    "--rate must be records per second, e.g. 500/s, not '" + text + "'");
        }
    }

    private static int replay(CommandLine command) throws IOException {
        Path input = Path.of(command.required("--input"));
        double rate = rate(command.option("--rate", "100"));
        FieldPath key;
        try {
            key = command.options().containsKey("--key") ? FieldPath.of(command.required("--key")) : null;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.BadUsageException("--key: " + e.getMessage());
        }
        if (!Files.isReadable(input)) {
            throw new CommandLine.BadUsageException("cannot read --input " + input);
        }
        Settings.Bound settings = command.bind(Settings.class, Settings.Bound.class);
        ProducerProperties producer = settings.producer();
        try (KinesisAsyncClient kinesis = new AwsClientFactory(settings.aws()).kinesis();
                BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            PutRecordsPublisher publisher = new PutRecordsPublisher(
                    kinesis,
                    producer.stream(),
                    new Backoff(producer.putMaxAttempts(), producer.putBaseBackoff(), producer.putMaxBackoff()),
                    new SimpleMeterRegistry());
            RecordFiles.LineReader lines;
            try {
                lines = RecordFiles.open(reader, Integer.MAX_VALUE);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.BadUsageException("cannot read --input " + input + ": " + e.getMessage());
            }
            return new Replay(publisher, key, rate).run(lines, input);
        }
    }

    /** One replay: batches of at most 500 records, paced to the rate. */
    private static final class Replay {
        private final PutRecordsPublisher publisher;
        private final FieldPath key;
        private final double rate;
        private final long started = System.nanoTime();
        private long lastProgress = started;
        private long put;
        private long failed;

        Replay(PutRecordsPublisher publisher, FieldPath key, double rate) {
            this.publisher = publisher;
            this.key = key;
            this.rate = rate;
        }

        int run(RecordFiles.LineReader lines, Path input) {
            int batchSize = rate == 0
                    ? PutRecordsPublisher.MAX_RECORDS_PER_REQUEST
                    : (int) Math.max(1, Math.min(PutRecordsPublisher.MAX_RECORDS_PER_REQUEST, rate / 10));
            List<PutRecordsRequestEntry> batch = new ArrayList<>(batchSize);
            try {
                while (lines.hasNext()) {
                    batch.add(entry(lines.next()));
                    if (batch.size() == batchSize) {
                        send(batch);
                    }
                }
            } catch (IllegalArgumentException e) {
                send(batch);
                throw new CommandLine.BadUsageException(
                        "stopped reading " + input + " after " + put + " records: " + e.getMessage());
            }
            send(batch);
            System.err.printf(
                    "replay: %,d records put on %s in %.1f s%s%n",
                    put,
                    publisher.stream(),
                    (System.nanoTime() - started) / 1e9,
                    failed == 0 ? "" : "; " + failed + " could not be put (see the log above)");
            return failed == 0 ? 0 : 1;
        }

        private PutRecordsRequestEntry entry(RecordFiles.Line line) {
            byte[] data = line.text() != null
                    ? line.text().getBytes(StandardCharsets.UTF_8)
                    : JsonRecords.encode(line.record());
            String partitionKey = null;
            if (key != null && line.record() != null) {
                JsonNode value = key.find(line.record());
                if (value != null
                        && value.isValueNode()
                        && !value.isNull()
                        && !value.asString().isBlank()) {
                    partitionKey = value.asString();
                }
            }
            if (partitionKey == null || partitionKey.length() > 256) {
                partitionKey = Long.toString(line.number());
            }
            return PutRecordsPublisher.entry(partitionKey, data);
        }

        private void send(List<PutRecordsRequestEntry> batch) {
            if (batch.isEmpty()) {
                return;
            }
            failed += publisher.publish(batch).size();
            put += batch.size();
            batch.clear();
            long now = System.nanoTime();
            if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
                lastProgress = now;
                System.err.printf("replay: %,d records put (%.0f/s)%n", put, put / ((now - started) / 1e9));
            }
            if (rate > 0) { // pacing: the next batch leaves when the rate allows it
                long due = started + (long) (put / rate * 1e9);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            }
        }
    }

    /** Only the producer's and the AWS settings are bound: nothing else of the application starts. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ProducerProperties.class, PipelineAwsProperties.class})
    static class Settings {
        record Bound(ProducerProperties producer, PipelineAwsProperties aws) {}

        @org.springframework.context.annotation.Bean
        Bound bound(ProducerProperties producer, PipelineAwsProperties aws) {
            return new Bound(producer, aws);
        }
    }
}
