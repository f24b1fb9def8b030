package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.archiver.consuming.ArchiveRecordProcessor;
import io.tradeanomaly.archiver.parquet.ParquetLineFormat;
import io.tradeanomaly.archiver.parquet.ParquetSchema;
import io.tradeanomaly.archiver.partitioning.AnomalyLines;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.archiver.system.ArchiverProperties;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.common.s3.LineFormat;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * {@code archiver.format=PARQUET} against the local stack's S3: the archiver's shard processor writes Parquet objects
 * with the default (trade) columns, DuckDB reads every column of every row back as the anomaly sent, the JSON archive of
 * the same records reads to the same rows, a replay (a takeover from the start) leaves the object byte for byte as it
 * was, a stale owner's shorter object is merged to the very bytes of the whole one, another writer's object that is not
 * Parquet at the key is kept aside and replaced, and a record whose field the
 * column's type cannot hold is dead-lettered with Firehose's reason.
 */
@ExtendWith(LocalAwsExtension.class)
class ParquetArchiveIT {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:05Z");
    private static final String SHARD = "shardId-000000000000";
    private static final ParquetLineFormat PARQUET =
            new ParquetLineFormat(ParquetSchema.parse(ArchiverProperties.TRADE_COLUMNS));

    @TempDir
    Path temp;

    private long sequence;

    @Test
    void parquetObjectsHoldEveryFieldAndAReplayLeavesThemByteForByte(LocalAwsStack stack, LocalAwsNamespace names)
            throws Exception {
        NdjsonStore store = new S3NdjsonStore(stack.s3(), names.bucket(), "errors/s3-archiver/unreadable/");
        List<Anomaly> sent = anomalies(50);
        List<KinesisClientRecord> records = new ArrayList<>();
        for (Anomaly anomaly : sent) {
            records.add(record(anomaly.encode()));
        }
        records.add(record("{\"tickerSymbol\":\"AMZN\",\"price\":\"high\",\"sourceShardId\":\"shardId-000000000001\","
                + "\"sourceSequenceNumber\":\"999\",\"ANOMALY_SCORE\":3.0}"));

        archive(store, "parquet/", PARQUET, records);
        List<String> keys = store.list("parquet/2026/");
        assertThat(keys).singleElement().satisfies(key -> assertThat(key).endsWith(".parquet"));
        String key = keys.get(0);
        byte[] first = stack.s3()
                .getObjectAsBytes(b -> b.bucket(names.bucket()).key(key))
                .asByteArray();

        // DuckDB reads every column of every row, non-null, as sent
        Path object = temp.resolve("object.parquet");
        Files.write(object, first);
        List<Map<String, Object>> rows = rows("SELECT * FROM read_parquet('" + object + "')");
        assertThat(rows).hasSize(sent.size());
        assertThat(rows.get(0).keySet())
                .containsExactlyElementsOf(
                        ParquetSchema.parse(ArchiverProperties.TRADE_COLUMNS).names());
        for (int i = 0; i < sent.size(); i++) {
            Anomaly anomaly = sent.get(i);
            Map<String, Object> row = rows.get(i);
            assertThat(row.values()).as("row %d", i).doesNotContainNull();
            assertThat(row.get("id")).isEqualTo(TradeAnomalies.id(anomaly));
            assertThat(row.get("price")).isEqualTo(anomaly.record().get("price").doubleValue());
            assertThat(row.get("ANOMALY_SCORE")).isEqualTo(anomaly.anomalyScore());
            assertThat(row.get("sourceSequenceNumber"))
                    .isEqualTo(anomaly.source().sequenceNumber());
            assertThat(row.get("sourceSubSequenceNumber"))
                    .isEqualTo(anomaly.source().subSequenceNumber());
            assertThat(row.get("arrivalTime"))
                    .isEqualTo(anomaly.source().arrivalTime().toString());
        }
        Map<String, Object> nested =
                rows("SELECT ANOMALY_EXPLANATION.price.STRENGTH AS s, ANOMALY_EXPLANATION.quantity.EXPECTED AS e,"
                                + " ANOMALY_EXPLANATION.price.DIRECTION AS d FROM read_parquet('" + object + "')")
                        .get(0);
        assertThat(nested).containsEntry("s", 1.5).containsEntry("e", 12.0).containsEntry("d", "HIGH");

        // the Parquet types of the Hive types the Athena table declares (string: UTF-8 binary, bigint: INT64, ...)
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, Object> element : rows(
                "SELECT name, type, converted_type FROM parquet_schema('" + object + "') WHERE type IS NOT NULL")) {
            types.putIfAbsent(element.get("name") + "", element.get("type") + "/" + element.get("converted_type"));
        }
        assertThat(types)
                .containsEntry("tickerSymbol", "BYTE_ARRAY/UTF8")
                .containsEntry("price", "DOUBLE/null")
                .containsEntry("quantity", "INT64/INT_64")
                .containsEntry("injected", "BOOLEAN/null")
                .containsEntry("sourceSubSequenceNumber", "INT64/INT_64")
                .containsEntry("STRENGTH", "DOUBLE/null")
                .containsEntry("DIRECTION", "BYTE_ARRAY/UTF8");

        // the record whose price is a string went to the dead letters with Firehose's reason
        List<String> letters = store.list("errors/");
        assertThat(letters).singleElement();
        assertThat(new String(store.read(letters.get(0)), StandardCharsets.UTF_8))
                .contains("\"reason\":\"format-conversion-failed\"")
                .contains("price");

        // a takeover replays the shard from its start: the object is rebuilt identically and left as it was
        sequence = 0;
        archive(store, "parquet/", PARQUET, records);
        assertThat(store.list("parquet/2026/")).containsExactly(key);
        assertThat(stack.s3()
                        .getObjectAsBytes(b -> b.bucket(names.bucket()).key(key))
                        .asByteArray())
                .isEqualTo(first);

        // a stale owner's shorter object merged with the whole one: the very bytes of the whole one, nothing twice
        List<byte[]> lines = new ArrayList<>();
        for (Anomaly anomaly : sent) {
            lines.add(PARQUET.conform(anomaly.encode()));
        }
        String merged = "merged/" + key;
        assertThat(store.write(merged, lines.subList(0, 20), PARQUET, AnomalyLines::identity))
                .isEqualTo(NdjsonStore.Outcome.CREATED);
        assertThat(store.write(merged, lines, PARQUET, AnomalyLines::identity)).isEqualTo(NdjsonStore.Outcome.MERGED);
        assertThat(store.write(merged, lines.subList(10, 30), PARQUET, AnomalyLines::identity))
                .isEqualTo(NdjsonStore.Outcome.UNCHANGED);
        assertThat(stack.s3()
                        .getObjectAsBytes(b -> b.bucket(names.bucket()).key(merged))
                        .asByteArray())
                .isEqualTo(first);

        // another writer's object at the key, not Parquet: kept aside byte for byte, then replaced by the archive's
        String foreign = "foreign/" + key.substring("parquet/".length());
        byte[] notParquet = "{\"written\":\"by another tool\"}\n".getBytes(StandardCharsets.UTF_8);
        stack.s3().putObject(b -> b.bucket(names.bucket()).key(foreign), RequestBody.fromBytes(notParquet));
        sequence = 0;
        archive(store, "foreign/", PARQUET, records);
        assertThat(stack.s3()
                        .getObjectAsBytes(b -> b.bucket(names.bucket()).key(foreign))
                        .asByteArray())
                .isEqualTo(first);
        List<String> aside = store.list("errors/s3-archiver/unreadable/");
        assertThat(aside)
                .singleElement()
                .satisfies(k -> assertThat(k).startsWith("errors/s3-archiver/unreadable/" + foreign + "-"));
        assertThat(store.read(aside.get(0))).isEqualTo(notParquet);

        // the JSON archive of the same records: DuckDB reads both formats to the same rows
        sequence = 0;
        archive(store, "json/", LineFormat.NDJSON, records.subList(0, sent.size()));
        List<String> jsonKeys = store.list("json/2026/");
        assertThat(jsonKeys).singleElement().satisfies(k -> assertThat(k).endsWith(".json"));
        Path json = temp.resolve("object.json");
        Files.write(json, store.read(jsonKeys.get(0)));
        String columns = ParquetSchema.parse(ArchiverProperties.TRADE_COLUMNS).duckDbColumns();
        List<Map<String, Object>> fromJson = rows(
                "SELECT * FROM read_json('" + json + "', format = 'newline_delimited', columns = " + columns + ")");
        assertThat(fromJson).hasSize(sent.size()).isEqualTo(rows("SELECT * FROM read_parquet('" + object + "')"));
    }

    /** One processor run over the records, from the shard's start, ended by a graceful shutdown that writes all. */
    private void archive(NdjsonStore store, String prefix, LineFormat format, List<KinesisClientRecord> records) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LeaseView leases = new LeaseView() {
            @Override
            public boolean holds(String shardId) {
                return true;
            }

            @Override
            public List<String> parents(String shardId) {
                return List.of();
            }

            @Override
            public boolean stopping() {
                return false;
            }
        };
        RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
        ArchiveRecordProcessor processor = new ArchiveRecordProcessor(
                new ShardLagMetrics(registry),
                leases,
                1 << 16,
                new ObjectKeys(prefix, "anomalous-trades", "1", format),
                new PartitionSettings(5 << 20, 100_000, Duration.ofSeconds(10)),
                "errors/s3-archiver/",
                Duration.ofMinutes(10),
                store,
                new ArchiveStatus(registry, Clock.systemUTC(), Duration.ofMinutes(1)),
                Clock.systemUTC());
        processor.initialize(InitializationInput.builder()
                .shardId(SHARD)
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
        processor.processRecords(ProcessRecordsInput.builder()
                .records(records)
                .checkpointer(checkpointer)
                .millisBehindLatest(60_000L)
                .build());
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
    }

    /** Anomalies with every field set: an explanation with expected values, a source inside a KPL aggregate. */
    private static List<Anomaly> anomalies(int count) {
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Trade trade = new Trade(1000 + i, i % 2 == 0 ? "AMZN" : "GE", TradeType.BUY, 100.25 + i, 10 + i, T0, true);
            Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
            explanation.put("price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.5, 0.75, 99.5));
            explanation.put("quantity", new FeatureExplanation(FeatureExplanation.Direction.LOW, 0.5, 0.25, 12.0));
            anomalies.add(TradeAnomalies.of(
                    trade,
                    2.5 + i,
                    explanation,
                    T0.plusMillis(i),
                    new Anomaly.Source("shardId-000000000001", "4959" + (i / 3), (long) (i % 3), T0)));
        }
        return anomalies;
    }

    private KinesisClientRecord record(String json) {
        return record(json.getBytes(StandardCharsets.UTF_8));
    }

    private KinesisClientRecord record(byte[] data) {
        return KinesisClientRecord.builder()
                .sequenceNumber(Long.toString(++sequence))
                .subSequenceNumber(0)
                .partitionKey("AMZN")
                .approximateArrivalTimestamp(T0)
                .data(ByteBuffer.wrap(data))
                .build();
    }

    private static List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    Object value = result.getObject(c);
                    row.put(
                            meta.getColumnName(c),
                            value == null ? null : value instanceof Number ? value : value.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
