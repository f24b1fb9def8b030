package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.archiver.partitioning.ArchiveObject;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.partitioning.RecordPosition;
import io.tradeanomaly.archiver.partitioning.ShardBuffer;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.AnomalyLine;
import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.common.record.FeatureExplanation.Direction;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.s3.LineMerge;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.serde2.AbstractSerDe;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.StructField;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.io.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Athena table of docs/archiver.md reads every field of the archive: its DDL, taken from the page as a user copies
 * it, makes the SerDe it names (Hive 4's own, from hive-hcatalog-core) with exactly its columns and types, and that
 * SerDe deserializes lines the archiver's own code wrote (the detector's encoding of each anomaly, the archiver's
 * canonical line, its object body) to the values sent, none null, nested explanation included. The columns are
 * lower-cased as the metastore stores them; the types both as written and lower-cased. The objects' keys lie in the
 * hour folders that the DDL's partition projection reads.
 */
class AthenaTableTest {

    private static final Path DOCS = Path.of("..", "docs", "archiver.md");
    private static final Instant T0 = Instant.parse("2026-11-26T08:59:58.250Z");
    private static final String[] TICKERS = {"AMZN", "GE", "BKNG"};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyColumnOfEveryArchivedLineReadsAsTheAnomalySent(boolean lowerCaseTypes) throws Exception {
        Ddl ddl = Ddl.fromDocs();
        AbstractSerDe serde = ddl.serde(lowerCaseTypes);
        List<Anomaly> sent = anomalies(8);
        List<ArchiveObject> objects = archive(sent);
        assertThat(objects).hasSize(2); // the anomalies arrived in two minutes (and two hours)

        int read = 0;
        for (ArchiveObject object : objects) {
            String body = new String(LineMerge.join(object.lines()), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                Anomaly expected = sent.get(read++);
                Map<String, Object> row = flatten(serde.getObjectInspector(), serde.deserialize(new Text(line)), "");
                assertThat(row.keySet()).as("columns read").containsExactlyElementsOf(ddl.leafPaths(lowerCaseTypes));
                // every column reads; sourceSubSequenceNumber only for a record out of a KPL aggregate
                Map<String, Object> values = values(expected);
                assertThat(row).as("line %s", line).isEqualTo(values);
                assertThat(row.entrySet())
                        .filteredOn(e -> e.getValue() == null)
                        .extracting(Map.Entry::getKey)
                        .isSubsetOf(
                                expected.source().subSequenceNumber() == null
                                        ? List.of("sourcesubsequencenumber")
                                        : List.of());
            }
        }
        assertThat(read).isEqualTo(sent.size());
    }

    @Test
    void theObjectsLieInTheHourFoldersThePartitionProjectionReads() {
        Ddl ddl = Ddl.fromDocs();
        DateTimeFormatter hour = DateTimeFormatter.ofPattern(ddl.table.get("projection.datehour.format"))
                .withZone(ZoneOffset.UTC);
        String template = ddl.table.get("storage.location.template");
        assertThat(template).startsWith(ddl.location).endsWith("/${datehour}/");
        for (ArchiveObject object : archive(anomalies(8))) {
            String folder = template.replace("${datehour}", hour.format(object.oldest()));
            assertThat("s3://anomalous-trades-archive/" + object.key()).startsWith(folder);
        }
        // dead letters, snapshots, settings and query results share the bucket outside every hour folder
        for (String other : List.of(
                "errors/s3-archiver/2026/11/26/08/shardId-000000000001-2026-11-26-08-00-10.json",
                "model-snapshots/anomaly-detector/key/AMZN.bin.gz",
                "athena-results/2026/11/26/x.csv")) {
            assertThat(("s3://anomalous-trades-archive/" + other)
                            .matches(Pattern.quote(ddl.location) + "\\d{4}/\\d{2}/\\d{2}/\\d{2}/.*"))
                    .as(other)
                    .isFalse();
        }
    }

    @Test
    void theTableOfAnotherStreamReadsItsOwnFieldsAndTheKdaColumns() throws Exception {
        Ddl ddl = Ddl.fromDocs("sensor_anomalies");
        AbstractSerDe serde = ddl.serde(false);
        InputSchema schema = InputSchema.of("device.id", "temperature,pressure", "ts", "");
        AnomalyLayout layout = AnomalyLayout.of(schema, null);
        List<Anomaly> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant arrival = T0.plusMillis(i * 900L);
            String reading = String.format(
                    Locale.ROOT,
                    "{\"device\":{\"id\":\"pump-%d\",\"site\":\"north\"},\"ts\":\"%s\",\"temperature\":%.2f,"
                            + "\"pressure\":%.2f}",
                    i % 2,
                    arrival.minusSeconds(1),
                    60.5 + i,
                    180.25 + i);
            Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
            explanation.put("temperature", new FeatureExplanation(Direction.LOW, 0.5 + i, 0.25, 61.0));
            explanation.put("pressure", new FeatureExplanation(Direction.HIGH, 9.5 + i, 5.5 + i, 101.25));
            sent.add(layout.anomaly(
                    schema.decode(reading.getBytes(StandardCharsets.UTF_8), 1 << 16),
                    6.0 + i,
                    explanation,
                    arrival.plusMillis(300),
                    new Anomaly.Source("shardId-000000000000", "4968075690073891500549601681679304329" + i, arrival)));
        }
        int read = 0;
        for (ArchiveObject object : archive(sent)) {
            String body = new String(LineMerge.join(object.lines()), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                var expected = sent.get(read++).record();
                Map<String, Object> row = flatten(serde.getObjectInspector(), serde.deserialize(new Text(line)), "");
                assertThat(row.keySet()).containsExactlyElementsOf(ddl.leafPaths(false));
                assertThat(row).as("line %s", line).doesNotContainValue(null);
                assertThat(row.get("device.id"))
                        .isEqualTo(expected.get("device").get("id").stringValue());
                assertThat(row.get("device.site")).isEqualTo("north");
                assertThat(row.get("ts")).isEqualTo(expected.get("ts").stringValue());
                assertThat(row.get("pressure"))
                        .isEqualTo(expected.get("pressure").doubleValue());
                assertThat(row.get("anomaly_score"))
                        .isEqualTo(expected.get("ANOMALY_SCORE").doubleValue());
                assertThat(row.get("anomaly_explanation.pressure.strength"))
                        .isEqualTo(expected.get("ANOMALY_EXPLANATION")
                                .get("pressure")
                                .get("STRENGTH")
                                .doubleValue());
                assertThat(row.get("anomaly_explanation.temperature.direction")).isEqualTo("LOW");
                assertThat(row.get("sourcesequencenumber"))
                        .isEqualTo(expected.get("sourceSequenceNumber").stringValue());
            }
        }
        assertThat(read).isEqualTo(sent.size());
    }

    /** Anomalies as the detector publishes them, every field set, across an hour boundary. */
    private static List<Anomaly> anomalies(int count) {
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant arrival = T0.plusMillis(i * 700L);
            Trade trade = new Trade(
                    1_732_608_000_123_000L + i,
                    TICKERS[i % 3],
                    i % 2 == 0 ? TradeType.BUY : TradeType.SELL,
                    100.25 + i,
                    500 + i,
                    arrival.minusMillis(40),
                    i % 2 == 0);
            Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
            explanation.put("price", new FeatureExplanation(Direction.HIGH, 4.5 + i, 3.25 + i, 100.0 + i));
            explanation.put("quantity", new FeatureExplanation(Direction.LOW, 0.5 + i, 0.75, 120.0 + i));
            anomalies.add(TradeAnomalies.of(
                    trade,
                    4.0 + i,
                    explanation,
                    arrival.plusMillis(300),
                    new Anomaly.Source(
                            "shardId-000000000001",
                            "4968075690073891500549601681679304329" + i,
                            i % 2 == 0 ? null : (long) i, // every other one read out of a KPL aggregate
                            arrival)));
        }
        return anomalies;
    }

    /** The objects the archiver's code makes of these anomalies: its canonical lines, its minute objects. */
    private static List<ArchiveObject> archive(List<Anomaly> anomalies) {
        ShardBuffer buffer = new ShardBuffer(
                "shardId-000000000001",
                new ObjectKeys("", "anomalous-trades", "1", false),
                new PartitionSettings(5 << 20, 100_000, Duration.ofSeconds(10)));
        for (Anomaly anomaly : anomalies) {
            AnomalyLine line = AnomalyLine.decode(anomaly.encode(), 1 << 16);
            buffer.add(
                    line.line(),
                    anomaly.arrivalTime(),
                    new RecordPosition(anomaly.source().sequenceNumber() + "7", 0));
        }
        buffer.closeAll();
        return buffer.ready();
    }

    /** What each column (and struct field) must read for an anomaly, keyed by its lower-cased path. */
    private static Map<String, Object> values(Anomaly a) {
        Map<String, Object> values = new LinkedHashMap<>();
        var record = a.record();
        values.put("tickersymbol", record.get("tickerSymbol").stringValue());
        values.put("tradetype", record.get("tradeType").stringValue());
        values.put("price", record.get("price").doubleValue());
        values.put("quantity", record.get("quantity").longValue());
        values.put("id", record.get("id").longValue());
        values.put("anomaly_score", a.anomalyScore());
        a.explanation().forEach((feature, e) -> {
            String at = "anomaly_explanation." + feature + ".";
            values.put(at + "direction", e.direction().name());
            values.put(at + "strength", e.strength());
            values.put(at + "attribution_score", e.attributionScore());
            values.put(at + "expected", e.expected());
        });
        values.put("tradetime", record.get("tradeTime").stringValue());
        values.put("detectedat", a.detectedAt().toString());
        values.put("injected", record.get("injected").booleanValue());
        values.put("sourceshardid", a.source().shardId());
        values.put("sourcesequencenumber", a.source().sequenceNumber());
        values.put("sourcesubsequencenumber", a.source().subSequenceNumber());
        values.put("arrivaltime", a.arrivalTime().toString());
        return values;
    }

    /** A deserialized row as path to Java value, struct fields included ({@code anomaly_explanation.price.strength}). */
    private static Map<String, Object> flatten(ObjectInspector inspector, Object data, String path) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (inspector instanceof StructObjectInspector struct) {
            for (StructField field : struct.getAllStructFieldRefs()) {
                String at = (path.isEmpty() ? "" : path + ".")
                        + field.getFieldName().toLowerCase(Locale.ROOT);
                Object value = data == null ? null : struct.getStructFieldData(data, field);
                if (field.getFieldObjectInspector() instanceof StructObjectInspector) {
                    values.putAll(flatten(field.getFieldObjectInspector(), value, at));
                } else {
                    values.put(
                            at,
                            value == null
                                    ? null
                                    : ((PrimitiveObjectInspector) field.getFieldObjectInspector())
                                            .getPrimitiveJavaObject(value));
                }
            }
        }
        return values;
    }

    /** The DDL of docs/archiver.md, read as Athena's metastore would. */
    private record Ddl(
            String serdeClass,
            List<String> names,
            List<String> types,
            Map<String, String> serdeProperties,
            String location,
            Map<String, String> table) {

        private static Pattern create(String table) {
            return Pattern.compile(
                    "```sql\\n(CREATE EXTERNAL TABLE " + table + " \\((.*?)\\)\\nPARTITIONED BY \\((\\w+) string\\)\\n"
                            + "ROW FORMAT SERDE '([^']+)'\\n(?:WITH SERDEPROPERTIES \\((.*?)\\)\\n)?"
                            + "LOCATION '([^']+)'\\nTBLPROPERTIES \\((.*?)\\);)\\n```",
                    Pattern.DOTALL);
        }

        private static final Pattern PROPERTY = Pattern.compile("'([^']*)'\\s*=\\s*'([^']*)'");

        static Ddl fromDocs() {
            return fromDocs("anomalous_trades");
        }

        static Ddl fromDocs(String table) {
            String docs;
            try {
                docs = Files.readString(DOCS);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Matcher ddl = create(table).matcher(docs);
            assertThat(ddl.find())
                    .as("docs/archiver.md shows CREATE EXTERNAL TABLE " + table)
                    .isTrue();
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (String column : splitTopLevel(ddl.group(2))) {
                String[] parts = column.strip().split("\\s+", 2);
                names.add(parts[0].replace("`", ""));
                types.add(parts[1].strip());
            }
            return new Ddl(
                    ddl.group(4), names, types, properties(ddl.group(5)), ddl.group(6), properties(ddl.group(7)));
        }

        /** The SerDe as Hive makes it for a table: columns lower-cased (the metastore's), types as given. */
        AbstractSerDe serde(boolean lowerCaseTypes) throws Exception {
            Properties properties = new Properties();
            properties.putAll(serdeProperties);
            properties.setProperty(
                    "columns",
                    String.join(
                            ",",
                            names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()));
            properties.setProperty("columns.types", String.join(":", types(lowerCaseTypes)));
            AbstractSerDe serde = (AbstractSerDe)
                    Class.forName(serdeClass).getDeclaredConstructor().newInstance();
            serde.initialize(new Configuration(false), properties, null);
            return serde;
        }

        private List<String> types(boolean lowerCase) {
            return types.stream()
                    .map(t -> lowerCase ? t.toLowerCase(Locale.ROOT) : t)
                    .toList();
        }

        /** The lower-cased paths of every column and struct field, in order. */
        List<String> leafPaths(boolean lowerCaseTypes) {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                leaves(
                        names.get(i).toLowerCase(Locale.ROOT),
                        types(lowerCaseTypes).get(i),
                        paths);
            }
            return paths;
        }

        private static void leaves(String path, String type, List<String> paths) {
            if (!type.startsWith("struct<")) {
                paths.add(path);
                return;
            }
            for (String field : splitTopLevel(type.substring("struct<".length(), type.length() - 1))) {
                int colon = field.indexOf(':');
                leaves(
                        path + "." + field.substring(0, colon).toLowerCase(Locale.ROOT),
                        field.substring(colon + 1),
                        paths);
            }
        }

        private static List<String> splitTopLevel(String text) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '<') {
                    depth++;
                } else if (c == '>') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    parts.add(text.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(text.substring(start));
            return parts;
        }

        private static Map<String, String> properties(String text) {
            Map<String, String> properties = new LinkedHashMap<>();
            if (text != null) {
                Matcher property = PROPERTY.matcher(text);
                while (property.find()) {
                    properties.put(property.group(1), property.group(2));
                }
            }
            return properties;
        }
    }
}
