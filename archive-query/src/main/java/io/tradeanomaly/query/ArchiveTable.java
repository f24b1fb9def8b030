package io.tradeanomaly.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The archive on disk as the table {@code anomalies} (also {@code anomalous_trades}): the objects under {@code
 * YYYY/MM/DD/HH/} of an archive folder (Firehose's layout, {@code .json} and {@code .json.gz}, read as
 * newline-delimited JSON, and {@code .parquet}), its partition column {@code datehour} and Athena's {@code "$path"}. For the trade default the columns are those of the Athena DDL
 * of docs/archiver.md plus the fields added since; for any other stream ({@link Schema} given) they are whatever the
 * records hold, as DuckDB reads them. The {@code errors/} and {@code model-snapshots/} folders that share the bucket
 * are not in that layout, so they are never read.
 */
final class ArchiveTable {

    static final String NAME = "anomalies";
    /** The table's name from before any stream could be archived, kept for the trade default's queries. */
    static final String TRADES_NAME = "anomalous_trades";

    /**
     * What the archived records are, as the detector was configured ({@code detector.input.key} and {@code
     * .features}).
     *
     * @param key the key field (dotted path), null for one model
     * @param features the feature names
     */
    record Schema(String key, List<String> features) {

        static final Schema TRADES = new Schema("tickerSymbol", List.of("price", "quantity"));

        boolean isTrades() {
            return equals(TRADES);
        }

        /** A field of the records as DuckDB reaches it: a top-level column, or a path into nested structs. */
        static String column(String field) {
            StringBuilder column = new StringBuilder();
            for (String part : field.split("\\.")) {
                if (!column.isEmpty()) {
                    column.append('.');
                }
                column.append('"').append(part.replace("\"", "\"\"")).append('"');
            }
            return column.toString();
        }
    }

    /** A feature's explanation: Athena's struct, plus {@code EXPECTED} (what the model expected; null if absent). */
    private static final String FEATURE =
            "STRUCT(DIRECTION VARCHAR, STRENGTH DOUBLE, ATTRIBUTION_SCORE DOUBLE, EXPECTED DOUBLE)";

    /** The Athena table's partition column: the object's hour folder, {@code 2026/11/26/08}. */
    static final String PARTITION = "datehour";

    /** The columns of the Athena DDL, in the order of the Anomaly record (times as timestamps here). */
    static final String COLUMNS = "{tickerSymbol: 'VARCHAR', tradeType: 'VARCHAR', price: 'DOUBLE',"
            + " quantity: 'BIGINT', id: 'BIGINT', ANOMALY_SCORE: 'DOUBLE',"
            + " ANOMALY_EXPLANATION: 'STRUCT(price " + FEATURE + ", quantity " + FEATURE + ")',"
            + " tradeTime: 'TIMESTAMP', detectedAt: 'TIMESTAMP', injected: 'BOOLEAN',"
            + " sourceShardId: 'VARCHAR', sourceSequenceNumber: 'VARCHAR', arrivalTime: 'TIMESTAMP'}";

    private static final String HOUR_FOLDERS = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/[0-9][0-9]/";
    private static final Pattern OBJECT =
            Pattern.compile("\\d{4}/\\d{2}/\\d{2}/\\d{2}/[^/]+(\\.json(\\.gz)?|\\.parquet)");

    /** The trade default's times, strings in Parquet objects (as in Athena's table), timestamps here as from JSON. */
    private static final List<String> TRADE_TIMES = List.of("tradeTime", "detectedAt", "arrivalTime");

    private final Path folder;
    private final List<Path> objects;
    private final Schema schema;

    private ArchiveTable(Path folder, List<Path> objects, Schema schema) {
        this.folder = folder;
        this.objects = objects;
        this.schema = schema;
    }

    /** The trade default's archive under {@code folder}. */
    static ArchiveTable at(Path folder) {
        return at(folder, Schema.TRADES);
    }

    /**
     * The archive under {@code folder}.
     *
     * @throws ArchiveQueryException when the folder does not exist or holds no archive object
     */
    static ArchiveTable at(Path folder, Schema schema) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ArchiveQueryException("No archive folder at " + absolute
                    + ": run ./run-local.sh (the archive is then under .local-aws/s3/anomalous-trades-archive/),"
                    + " or give --archive DIR (a copy of the bucket, or of its prefix)");
        }
        List<Path> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(absolute, 5)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> OBJECT.matcher(
                                    absolute.relativize(f).toString().replace('\\', '/'))
                            .matches())
                    .sorted()
                    .forEach(objects::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + absolute, e);
        }
        if (objects.isEmpty()) {
            throw new ArchiveQueryException("No archive object under " + absolute
                    + " (expected YYYY/MM/DD/HH/*.json, *.json.gz or *.parquet, Firehose's layout; with archiver.prefix set,"
                    + " point --archive at the prefix's folder)");
        }
        return new ArchiveTable(absolute, List.copyOf(objects), schema);
    }

    Path folder() {
        return folder;
    }

    List<Path> objects() {
        return objects;
    }

    Schema schema() {
        return schema;
    }

    /**
     * The statement that creates the view over the archive (read anew by every query, as Athena does): the JSON
     * objects and the Parquet ones ({@code archiver.format=PARQUET}), by column name.
     */
    String createView() {
        List<String> parts = new ArrayList<>();
        List<String> json = new ArrayList<>();
        for (String extension : List.of(".json", ".json.gz")) {
            if (objects.stream().anyMatch(p -> p.toString().endsWith(extension))) {
                json.add(quote(folder + "/" + HOUR_FOLDERS + "*" + extension));
            }
        }
        if (!json.isEmpty()) {
            String columns = schema.isTrades() ? ", columns = " + COLUMNS : ", union_by_name = true";
            parts.add("SELECT * EXCLUDE (filename), filename AS \"$path\" FROM read_json([" + String.join(", ", json)
                    + "], format = 'newline_delimited', filename = true" + columns + ")");
        }
        if (objects.stream().anyMatch(p -> p.toString().endsWith(".parquet"))) {
            String times = schema.isTrades()
                    ? " REPLACE ("
                            + String.join(
                                    ", ",
                                    TRADE_TIMES.stream()
                                            .map(t -> "CAST(" + t + " AS TIMESTAMP) AS " + t)
                                            .toList())
                            + ")"
                    : "";
            parts.add("SELECT * EXCLUDE (filename)" + times + ", filename AS \"$path\" FROM read_parquet("
                    + quote(folder + "/" + HOUR_FOLDERS + "*.parquet") + ", filename = true, union_by_name = true)");
        }
        return "CREATE OR REPLACE TEMP VIEW " + NAME + " AS SELECT *,"
                + " regexp_extract(\"$path\", '(\\d{4}/\\d{2}/\\d{2}/\\d{2})/[^/]*$', 1) AS " + PARTITION
                + " FROM (" + String.join(" UNION ALL BY NAME ", parts) + ")";
    }

    /** The statements that name the view as before records were generic (the trade default only). */
    List<String> aliases() {
        return schema.isTrades()
                ? List.of("CREATE OR REPLACE TEMP VIEW " + TRADES_NAME + " AS SELECT * FROM " + NAME)
                : List.of();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
