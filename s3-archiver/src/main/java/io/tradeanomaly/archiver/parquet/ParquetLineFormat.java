package io.tradeanomaly.archiver.parquet;

import io.tradeanomaly.common.s3.LineFormat;
import io.tradeanomaly.common.s3.LineMerge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Archive objects as Parquet (Firehose's record format conversion), written and read by DuckDB: the lines, each
 * projected onto the configured columns ({@link ParquetSchema}), become one Parquet file with those columns (SNAPPY
 * pages, as Firehose's default), one row per line in their order; read back, each row becomes its projected line again,
 * so the store merges Parquet objects line by line as it merges JSON ones.
 *
 * <p>The merge rebuilds identical objects only if the same lines always make the same bytes, on any machine. DuckDB's
 * bytes depend on its thread count, which defaults to the machine's cores: 130,000 rows of trade-like anomalies
 * (nested structs, two row groups) came out different with 2 or 4 threads than with 1, and identical run after run with
 * 1 (DuckDB 1.5.6). So every connection runs with {@code threads = 1}. Bytes depend on the DuckDB version too (it is
 * named in the footer); a merge after an upgrade writes the new version's bytes, with the same rows.
 *
 * <p>Each call opens its own in-memory database (35-45 ms on the 2-core build machine; KCL's shard processors run in parallel, a
 * connection is not to be shared), with files in a temporary folder that is removed after it, single-threaded and
 * with at most {@value #MEMORY_LIMIT} of native memory (beside the JVM's heap; more spills to that folder). Extensions are never
 * downloaded: JSON and Parquet are built into DuckDB's JDBC driver.
 */
public final class ParquetLineFormat implements LineFormat {

    /** DuckDB's native memory per call: 600,000 trade-like rows (about 120 MB of JSON lines) encoded within it. */
    static final String MEMORY_LIMIT = "256MB";

    /** DuckDB's default row group size. */
    static final int ROW_GROUP_ROWS = 122_880;

    private final ParquetSchema schema;
    private final int rowGroupRows;

    public ParquetLineFormat(ParquetSchema schema) {
        this(schema, ROW_GROUP_ROWS);
    }

    /** With smaller row groups: objects of several row groups in a test of a few thousand rows. */
    ParquetLineFormat(ParquetSchema schema, int rowGroupRows) {
        this.schema = schema;
        this.rowGroupRows = rowGroupRows;
    }

    @Override
    public String contentType() {
        return "application/vnd.apache.parquet";
    }

    @Override
    public String extension() {
        return ".parquet";
    }

    @Override
    public boolean gzip() {
        return false; // Parquet compresses its pages itself
    }

    @Override
    public byte[] conform(byte[] line) {
        return schema.project(line);
    }

    @Override
    public byte[] encode(List<byte[]> lines) {
        return inTemporaryFolder(folder -> {
            Path json = folder.resolve("lines.json");
            Path parquet = folder.resolve("object.parquet");
            Files.write(json, LineMerge.join(lines));
            run(
                    folder,
                    "COPY (SELECT * FROM read_json(" + literal(json) + ", format = 'newline_delimited', columns = "
                            + schema.duckDbColumns() + ")) TO " + literal(parquet)
                            + " (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE " + rowGroupRows + ")");
            return Files.readAllBytes(parquet);
        });
    }

    @Override
    public List<byte[]> decode(byte[] body) {
        return inTemporaryFolder(folder -> {
            Path parquet = folder.resolve("object.parquet");
            Path json = folder.resolve("rows.json");
            Files.write(parquet, body);
            try {
                run(
                        folder,
                        "COPY (SELECT * FROM read_parquet(" + literal(parquet) + ")) TO " + literal(json)
                                + " (FORMAT json)");
            } catch (SQLException e) {
                throw new UnreadableObjectException("not a Parquet object DuckDB can read: " + e.getMessage(), e);
            }
            List<byte[]> lines = new ArrayList<>();
            for (byte[] row : LineMerge.lines(Files.readAllBytes(json))) {
                try {
                    lines.add(schema.project(row));
                } catch (IllegalArgumentException e) {
                    throw new UnreadableObjectException("a Parquet object of other columns: " + e.getMessage(), e);
                }
            }
            return lines;
        });
    }

    private static void run(Path folder, String copy) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1"); // deterministic bytes (see the class comment)
            // native memory beside the JVM's heap: bounded, spilling to the call's own folder (the image's root
            // filesystem is read-only; /tmp is writable)
            statement.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            statement.execute("SET temp_directory = " + literal(folder.resolve("spill")));
            statement.execute("SET autoinstall_known_extensions = false");
            statement.execute("SET autoload_known_extensions = false");
            statement.execute(copy);
        }
    }

    private static String literal(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private interface InFolder<T> {
        T apply(Path folder) throws IOException, SQLException;
    }

    private static <T> T inTemporaryFolder(InFolder<T> work) {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("archive-parquet");
            return work.apply(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed: " + e.getMessage(), e);
        } finally {
            if (folder != null) {
                delete(folder);
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
