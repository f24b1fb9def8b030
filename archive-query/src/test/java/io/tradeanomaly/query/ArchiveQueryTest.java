package io.tradeanomaly.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example of docs/query.md over an archive written here in the archiver's layout (plain and gzipped objects,
 * with dead letters and model snapshots beside them that must not be read), with its answer checked; the command
 * line's errors.
 */
class ArchiveQueryTest {

    private static final Instant MINUTE_1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant MINUTE_2 = Instant.parse("2026-12-01T10:01:00Z");
    private static final Instant EARLIER = Instant.parse("2026-12-01T08:30:00Z"); // over an hour before the newest

    @TempDir
    Path archive;

    private long ids = 1000;

    @BeforeEach
    void writeArchive() throws IOException {
        List<String> first = new ArrayList<>();
        first.add(line("AMZN", MINUTE_1.plusSeconds(1), 3.1, true, null));
        first.add(line("AMZN", MINUTE_1.plusSeconds(2), 4.2, true, 100.0));
        first.add(line("GE", MINUTE_1.plusSeconds(3), 2.5, false, null));
        write("2026/12/01/10/anomalous-trades-1-2026-12-01-10-00-01-shardId-000000000000-1.json", first);
        write(
                "2026/12/01/10/anomalous-trades-1-2026-12-01-10-00-05-shardId-000000000001-7.json",
                List.of(
                        line("AMZN", MINUTE_1.plusSeconds(5), 5.0, true, 250.0),
                        line("GE", MINUTE_1.plusSeconds(6), 2.2, false, null)));
        List<String> second = new ArrayList<>();
        second.add(line("AMZN", MINUTE_2.plusSeconds(1), 9.5, true, null));
        for (int i = 0; i < 4; i++) {
            second.add(line("BKNG", MINUTE_2.plusSeconds(2 + i), 3 + i, i % 2 == 0, null));
        }
        writeGzip("2026/12/01/10/anomalous-trades-1-2026-12-01-10-01-01-shardId-000000000000-9.json.gz", second);
        write(
                "2026/12/01/08/anomalous-trades-1-2026-12-01-08-30-00-shardId-000000000000-0.json",
                List.of(line("GE", EARLIER, 99.0, true, null)));
        // what shares the bucket and is not archive: neither JSON of this shape nor in the hour layout
        write("errors/s3-archiver/2026/12/01/10/errors-1.json", List.of("{\"reason\":\"MALFORMED\",\"data\":\"x"));
        write("model-snapshots/anomaly-detector/AMZN.json", List.of("{\"forest\":[1,2,3]}"));
        write("2026/12/01/10/notes.txt", List.of("not an object"));
    }

    @Test
    void everyExampleOfTheDocsAnswersWhatTheArchiveHolds() {
        Map<String, Consumer<ArchiveQuery.Result>> expectations = new HashMap<>();
        expectations.put("per-ticker-per-minute", result -> {
            assertThat(result.columns()).containsExactly("minute", "AMZN", "BKNG", "GE");
            assertThat(result.rows())
                    .extracting(r -> ResultPrinter.text(r.get(0)), r -> n(r.get(1)), r -> n(r.get(2)), r -> n(r.get(3)))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(time(EARLIER), 0L, 0L, 1L),
                            org.assertj.core.groups.Tuple.tuple(time(MINUTE_1), 3L, 0L, 2L),
                            org.assertj.core.groups.Tuple.tuple(time(MINUTE_2), 1L, 4L, 0L));
        });
        expectations.put("worst-last-hour", result -> {
            assertThat(column(result, "score")).containsExactly(9.5, 6.0, 5.0, 5.0, 4.2, 4.0, 3.1, 3.0, 2.5, 2.2);
            assertThat(column(result, "tickerSymbol").get(0)).isEqualTo("AMZN");
            assertThat(column(result, "driven_by")).containsOnly("price");
            assertThat(column(result, "expected_price")).contains(250.0, 100.0);
        });
        expectations.put("per-ticker", result -> {
            assertThat(column(result, "tickerSymbol")).containsExactly("AMZN", "BKNG", "GE");
            assertThat(column(result, "anomalies"))
                    .extracting(ArchiveQueryTest::n)
                    .containsExactly(4L, 4L, 3L);
            assertThat(column(result, "worst")).containsExactly(9.5, 6.0, 99.0);
            assertThat(column(result, "injected"))
                    .extracting(ArchiveQueryTest::n)
                    .containsExactly(4L, 2L, 1L);
        });
        expectations.put(
                "duplicates",
                result -> assertThat(result.rows())
                        .singleElement()
                        .satisfies(row ->
                                assertThat(row).extracting(ArchiveQueryTest::n).containsExactly(11L, 11L, 11L, 0L)));
        expectations.put("objects", result -> {
            assertThat(column(result, "object"))
                    .containsExactly(
                            "2026-12-01-10-01-01-shardId-000000000000",
                            "2026-12-01-10-00-05-shardId-000000000001",
                            "2026-12-01-10-00-01-shardId-000000000000",
                            "2026-12-01-08-30-00-shardId-000000000000");
            assertThat(column(result, "anomalies"))
                    .extracting(ArchiveQueryTest::n)
                    .containsExactly(5L, 2L, 3L, 1L);
        });
        expectations.put("above-expected", result -> {
            // prices 100+i... against their EXPECTED: only the two records that carry it
            assertThat(column(result, "expected_price")).containsExactly(100.0, 250.0);
            assertThat(column(result, "times_expected")).containsExactly(1.0, 0.4);
        });

        Map<String, Examples.Example> examples = Examples.bundled();
        assertThat(examples.keySet())
                .as("each example of docs/query.md has its expectation here")
                .containsExactlyInAnyOrderElementsOf(expectations.keySet());
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            for (Examples.Example example : examples.values()) {
                assertThat(example.title()).as(example.name()).isNotBlank();
                expectations.get(example.name()).accept(query.run(example.sql()));
            }
        }
    }

    @Test
    void theTableHasTheAthenaColumnsAndItsPathAndReadsOnlyTheHourFolders() {
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            ArchiveQuery.Result columns = query.run("SELECT column_name FROM (DESCRIBE anomalous_trades)");
            assertThat(columns.rows())
                    .extracting(r -> r.get(0))
                    .containsExactly(
                            "tickerSymbol",
                            "tradeType",
                            "price",
                            "quantity",
                            "id",
                            "ANOMALY_SCORE",
                            "ANOMALY_EXPLANATION",
                            "tradeTime",
                            "detectedAt",
                            "injected",
                            "sourceShardId",
                            "sourceSequenceNumber",
                            "arrivalTime",
                            "$path",
                            "datehour");
            assertThat(query.table().objects()).hasSize(4);
            // the Athena query of docs/archiver.md runs as it is, on the partition column
            ArchiveQuery.Result athena = query.run("SELECT tickerSymbol, count(*) AS anomalies,"
                    + " max(ANOMALY_SCORE) AS worst, max(ANOMALY_EXPLANATION.price.STRENGTH) AS strongest_price"
                    + " FROM anomalous_trades WHERE datehour BETWEEN '2026/12/01/10' AND '2026/12/01/10'"
                    + " GROUP BY tickerSymbol ORDER BY anomalies DESC, tickerSymbol");
            assertThat(column(athena, "anomalies"))
                    .extracting(ArchiveQueryTest::n)
                    .containsExactly(4L, 4L, 2L);
        }
    }

    @Test
    void aLineArchivedTwiceShowsAsADuplicate() throws IOException {
        String again = Files.readAllLines(archive.resolve(
                        "2026/12/01/10/anomalous-trades-1-2026-12-01-10-00-01-shardId-000000000000-1.json"))
                .get(0);
        write("2026/12/01/11/anomalous-trades-1-2026-12-01-11-00-00-shardId-000000000000-99.json", List.of(again));
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            ArchiveQuery.Result result =
                    query.run(Examples.bundled().get("duplicates").sql());
            assertThat(column(result, "duplicates"))
                    .extracting(ArchiveQueryTest::n)
                    .containsExactly(1L);
        }
    }

    @Test
    void theCommandLinePrintsATableOrCsvAndSaysWhatIsWrong() throws IOException {
        Output ok = run("--archive", archive.toString(), "--example", "per-ticker");
        assertThat(ok.status).isZero();
        assertThat(ok.out.lines().toList()).first().asString().startsWith("tickerSymbol  anomalies  worst");
        assertThat(ok.out).contains("AMZN").contains("(3 rows)");

        Output csv = run("--archive=" + archive, "--format=csv", "--sql", "SELECT 'a,b' AS x, 1.5 AS y");
        assertThat(csv.out).isEqualTo("x,y\n\"a,b\",1.5\n");

        Output described = run("--archive", archive.toString());
        assertThat(described.status).isZero();
        assertThat(described.out)
                .contains("4 objects")
                .contains("ANOMALY_EXPLANATION")
                .contains("worst-last-hour");

        Output badSql = run("--archive", archive.toString(), "--sql", "SELECT count(*) FORM anomalous_trades");
        assertThat(badSql.status).isEqualTo(1);
        assertThat(badSql.err).contains("Parser Error").contains("FORM");

        Output badColumn = run("--archive", archive.toString(), "--sql", "SELECT score FROM anomalous_trades");
        assertThat(badColumn.status).isEqualTo(1);
        assertThat(badColumn.err).contains("Binder Error").contains("score");

        Path missing = archive.resolve("nowhere");
        Output noFolder = run("--archive", missing.toString(), "--example", "per-ticker");
        assertThat(noFolder.status).isEqualTo(1);
        assertThat(noFolder.err).contains("No archive folder at " + missing).contains("./run-local.sh");

        Path empty = Files.createDirectories(archive.resolve("errors"));
        Output noObjects = run("--archive", empty.toString());
        assertThat(noObjects.status).isEqualTo(1);
        assertThat(noObjects.err).contains("No archive object under").contains("YYYY/MM/DD/HH");

        Output unknown = run("--archive", archive.toString(), "--example", "nope");
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.err).contains("no example named nope").contains("worst-last-hour");

        assertThat(run("--sql").err).contains("--sql needs a value");
        assertThat(run("--bogus").status).isEqualTo(2);
        assertThat(run("--list").out)
                .contains("per-ticker-per-minute  (Anomalies per ticker per minute)")
                .contains("PIVOT")
                .doesNotContain("```");
    }

    @Test
    void anyStreamsArchiveIsReadWithItsOwnFieldsAndShownByItsKeyAndFeatures(@TempDir Path other) throws IOException {
        archive = other;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String device = i % 2 == 0 ? "pump-1" : "pump-2";
            Instant arrival = MINUTE_1.plusSeconds(i);
            lines.add(("{\"device\":{\"id\":\"%s\"},\"Inlet Pressure kPa\":%s,\"temperature\":%s,"
                            + "\"ANOMALY_SCORE\":%s,\"ANOMALY_EXPLANATION\":{\"Inlet Pressure kPa\":{\"DIRECTION\":"
                            + "\"HIGH\",\"STRENGTH\":4.1,\"ATTRIBUTION_SCORE\":2.0,\"EXPECTED\":101.3},\"temperature\":"
                            + "{\"DIRECTION\":\"LOW\",\"STRENGTH\":0.2,\"ATTRIBUTION_SCORE\":0.1,\"EXPECTED\":60.0}},"
                            + "\"detectedAt\":\"%s\",\"sourceShardId\":\"shardId-000000000000\","
                            + "\"sourceSequenceNumber\":\"%d\",\"arrivalTime\":\"%s\"}")
                    .formatted(device, 150 + i, 61.5, 3 + i, arrival.plusMillis(300), i, arrival));
        }
        write("2026/12/01/10/anomalous-trades-1-2026-12-01-10-00-00-shardId-000000000000-0.json", lines);
        String[] stream = {
            "--archive", other.toString(), "--key", "device.id", "--features", "Inlet Pressure kPa,temperature"
        };

        Output described = run(stream);
        assertThat(described.status).isZero();
        assertThat(described.out)
                .contains("Stream: key device.id, features Inlet Pressure kPa, temperature")
                .contains("Inlet Pressure kPa")
                .contains("per-key");

        Output perKey = run(concat(stream, "--example", "per-key", "--format", "csv"));
        assertThat(perKey.status).as(perKey.err).isZero();
        assertThat(perKey.out.lines().toList())
                .containsExactly(
                        "device.id,anomalies,worst,latest,Inlet Pressure kPa,Inlet Pressure kPa expected,temperature,"
                                + "temperature expected",
                        "pump-1,3,7," + time(MINUTE_1.plusSeconds(4)) + ",154,101.3,61.5,60",
                        "pump-2,3,8," + time(MINUTE_1.plusSeconds(5)) + ",155,101.3,61.5,60");

        Output sameSettings = run(
                "--archive",
                other.toString(),
                "--detector.input.key=device.id",
                "--detector.input.features=Inlet Pressure kPa,temperature",
                "--sql",
                "SELECT count(*) AS n FROM anomalies WHERE device.id = 'pump-1'",
                "--format",
                "csv");
        assertThat(sameSettings.out).isEqualTo("n\n3\n");
        assertThat(run(concat(stream, "--example", "per-ticker")).err).contains("no example named per-ticker");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aMalformedLineFailsTheQueryNamingItsFile() throws IOException {
        write("2026/12/01/12/anomalous-trades-1-2026-12-01-12-00-00-shardId-000000000000-5.json", List.of("{not json"));
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            assertThatThrownBy(() -> query.run("SELECT count(*) FROM anomalous_trades"))
                    .isInstanceOf(ArchiveQueryException.class)
                    .hasMessageContaining("2026/12/01/12/");
        }
    }

    private String line(String ticker, Instant arrival, double score, boolean injected, Double expectedPrice) {
        long id = ids++;
        double price = 100 + id % 7;
        String expected = expectedPrice == null ? "" : ",\"EXPECTED\":" + expectedPrice;
        return ("{\"tickerSymbol\":\"%s\",\"tradeType\":\"BUY\",\"price\":%s,\"quantity\":%d,\"id\":%d,"
                        + "\"ANOMALY_SCORE\":%s,\"ANOMALY_EXPLANATION\":{\"price\":{\"DIRECTION\":\"HIGH\","
                        + "\"STRENGTH\":1.5,\"ATTRIBUTION_SCORE\":%s%s},\"quantity\":{\"DIRECTION\":\"LOW\","
                        + "\"STRENGTH\":0.1,\"ATTRIBUTION_SCORE\":0.05}},\"tradeTime\":\"%s\",\"detectedAt\":\"%s\","
                        + "\"injected\":%s,\"sourceShardId\":\"shardId-000000000000\",\"sourceSequenceNumber\":\"%d\","
                        + "\"arrivalTime\":\"%s\"}")
                .formatted(
                        ticker,
                        price,
                        10 + id,
                        id,
                        score,
                        score - 0.05,
                        expected,
                        arrival.minusMillis(200),
                        arrival.plusMillis(300),
                        injected,
                        id * 10,
                        arrival);
    }

    @Test
    void aParquetArchiveReadsToTheSameRowsAsItsJsonAndBothFormatsTogether(@TempDir Path parquet) throws Exception {
        // the archive's JSON objects as the archiver's PARQUET format writes them: the Athena table's columns, times
        // as strings, one .parquet object per JSON one
        String columns = "{tickerSymbol: 'VARCHAR', tradeType: 'VARCHAR', price: 'DOUBLE', quantity: 'BIGINT',"
                + " id: 'BIGINT', ANOMALY_SCORE: 'DOUBLE', ANOMALY_EXPLANATION: 'STRUCT(price STRUCT(DIRECTION"
                + " VARCHAR, STRENGTH DOUBLE, ATTRIBUTION_SCORE DOUBLE, EXPECTED DOUBLE), quantity STRUCT(DIRECTION"
                + " VARCHAR, STRENGTH DOUBLE, ATTRIBUTION_SCORE DOUBLE, EXPECTED DOUBLE))', tradeTime: 'VARCHAR',"
                + " detectedAt: 'VARCHAR', injected: 'BOOLEAN', sourceShardId: 'VARCHAR', sourceSequenceNumber:"
                + " 'VARCHAR', sourceSubSequenceNumber: 'BIGINT', arrivalTime: 'VARCHAR'}";
        List<Path> json = ArchiveTable.at(archive).objects();
        try (java.sql.Connection duckDb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement statement = duckDb.createStatement()) {
            for (Path object : json) {
                String key = archive.relativize(object).toString().replaceAll("\\.json(\\.gz)?$", ".parquet");
                Path target = parquet.resolve(key);
                Files.createDirectories(target.getParent());
                statement.execute("COPY (SELECT * FROM read_json('" + object + "', format = 'newline_delimited',"
                        + " columns = " + columns + ")) TO '" + target + "' (FORMAT parquet, COMPRESSION snappy)");
            }
        }
        String rows = "SELECT * EXCLUDE (\"$path\") FROM anomalies ORDER BY id";
        ArchiveQuery.Result fromJson;
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            fromJson = query.run(rows);
        }
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(parquet))) {
            assertThat(query.table().objects()).hasSize(json.size());
            ArchiveQuery.Result fromParquet = query.run("SELECT "
                    + String.join(
                            ", ",
                            fromJson.columns().stream().map(c -> '"' + c + '"').toList())
                    + " FROM anomalies ORDER BY id");
            assertThat(text(fromParquet)).hasSize(fromJson.rows().size()).isEqualTo(text(fromJson));
            assertThat(column(query.run("SELECT sourceSubSequenceNumber FROM anomalies"), "sourceSubSequenceNumber"))
                    .containsOnlyNulls();
        }
        // a bucket whose format was changed: both kinds of object in one table
        Files.createDirectories(archive.resolve("2026/12/01/11"));
        Files.copy(
                parquet.resolve(archive.relativize(json.get(0)).toString().replace(".json", ".parquet")),
                archive.resolve("2026/12/01/11/anomalous-trades-1-2026-12-01-11-00-00-shardId-000000000000-1.parquet"));
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
            ArchiveQuery.Result hours =
                    query.run("SELECT datehour, count(*) AS n FROM anomalies GROUP BY datehour ORDER BY datehour");
            assertThat(column(hours, "datehour")).containsExactly("2026/12/01/08", "2026/12/01/10", "2026/12/01/11");
            assertThat(column(hours, "n")).extracting(ArchiveQueryTest::n).containsExactly(1L, 10L, 1L);
        }
    }

    /** The rows as text: DuckDB's structs have no equals of their own. */
    private static List<List<String>> text(ArchiveQuery.Result result) {
        return result.rows().stream()
                .map(r -> r.stream().map(String::valueOf).toList())
                .toList();
    }

    private void write(String key, List<String> lines) throws IOException {
        Path file = archive.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private void writeGzip(String key, List<String> lines) throws IOException {
        Path file = archive.resolve(key);
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<Object> column(ArchiveQuery.Result result, String name) {
        int index = result.columns().indexOf(name);
        assertThat(index).as("column %s in %s", name, result.columns()).isNotNegative();
        return result.rows().stream().map(r -> r.get(index)).toList();
    }

    private static Long n(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    private static String time(Instant instant) {
        return ResultPrinter.text(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private record Output(int status, String out, String err) {}

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ArchiveQueryMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
