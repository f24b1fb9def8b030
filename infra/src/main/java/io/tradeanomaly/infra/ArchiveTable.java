package io.tradeanomaly.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Athena table over the archive, defined once: the CDK app creates it in Glue ({@link PipelineStack}) and
 * docs/archiver.md shows the same table as DDL ({@link #ddl}; {@code ArchiveTableTest} fails when the page differs).
 * s3-archiver's {@code AthenaTableTest} deserializes archive lines with the DDL the page shows, through Hive's own
 * JSON SerDe.
 *
 * <p>Why this SerDe: Hive's JSON SerDe ({@code org.apache.hive.hcatalog.data.JsonSerDe}, the one Athena's guide
 * recommends) matches JSON keys to columns without regard to case, at the top level and inside structs, so the
 * camelCase and upper-case fields read as they are although the metastore lower-cases every column name. The OpenX
 * SerDe with {@code 'case.insensitive' = 'false'} (what the docs used to show) matches exactly, so every one of those
 * fields read NULL.
 *
 * <p>Partition projection on the archive's hour folders ({@code <prefix>YYYY/MM/DD/HH/}, Firehose's layout): a query
 * that filters on {@code datehour} reads only those hours, and no query reads anything but hour folders, so the dead
 * letters under {@code errors/}, the model snapshots and Athena's own results stay out even with an empty prefix.
 */
public final class ArchiveTable {

    /** The table's name. */
    public static final String NAME = "anomalous_trades";

    /** Hive's JSON SerDe (hive-hcatalog-core). */
    public static final String SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";

    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    /**
     * Hive's Parquet SerDe, for the archiver's {@code archiver.format=PARQUET} objects ({@code STORED AS PARQUET} in
     * the DDL); the archiver's default {@code archiver.parquet-columns} are {@link #COLUMNS}.
     */
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    public static final String PARQUET_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

    /** The partition column: the hour folder, {@code 2026/11/26/08}. */
    public static final String PARTITION = "datehour";

    private static final String EXPLANATION =
            "struct<DIRECTION:string,STRENGTH:double,ATTRIBUTION_SCORE:double,EXPECTED:double>";

    /** A column: its name as the records spell it, and its Hive type. */
    public record Column(String name, String type) {}

    /** The anomaly record's fields (docs/contracts.md, "Records"), in its order. */
    public static final List<Column> COLUMNS = List.of(
            new Column("tickerSymbol", "string"),
            new Column("tradeType", "string"),
            new Column("price", "double"),
            new Column("quantity", "bigint"),
            new Column("id", "bigint"),
            new Column("ANOMALY_SCORE", "double"),
            new Column("ANOMALY_EXPLANATION", "struct<price:" + EXPLANATION + ",quantity:" + EXPLANATION + ">"),
            new Column("tradeTime", "string"),
            new Column("detectedAt", "string"),
            new Column("injected", "boolean"),
            new Column("sourceShardId", "string"),
            new Column("sourceSequenceNumber", "string"),
            new Column("sourceSubSequenceNumber", "bigint"),
            new Column("arrivalTime", "string"));

    private ArchiveTable() {}

    /** {@code s3://<bucket>/<prefix>}: the table's location. */
    public static String location(String bucket, String prefix) {
        return "s3://" + bucket + "/" + prefix;
    }

    /**
     * The table's properties: partition projection over the hour folders from {@code since} ({@code yyyy/MM/dd/HH}) to
     * now.
     */
    public static Map<String, String> properties(String bucket, String prefix, String since) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("projection.enabled", "true");
        properties.put("projection." + PARTITION + ".type", "date");
        properties.put("projection." + PARTITION + ".format", "yyyy/MM/dd/HH");
        properties.put("projection." + PARTITION + ".range", since + ",NOW");
        properties.put("projection." + PARTITION + ".interval", "1");
        properties.put("projection." + PARTITION + ".interval.unit", "HOURS");
        properties.put("storage.location.template", location(bucket, prefix) + "${" + PARTITION + "}/");
        return properties;
    }

    /** The table as Athena DDL, for {@code CREATE EXTERNAL TABLE} in the Athena console or CLI. */
    public static String ddl(String bucket, String prefix, String since) {
        return ddl(bucket, prefix, since, "ROW FORMAT SERDE '" + SERDE + "'");
    }

    /** The table over an archive of Parquet objects ({@code archiver.format=PARQUET}) as Athena DDL. */
    public static String parquetDdl(String bucket, String prefix, String since) {
        return ddl(bucket, prefix, since, "STORED AS PARQUET");
    }

    private static String ddl(String bucket, String prefix, String since, String storage) {
        String columns = COLUMNS.stream()
                .map(column -> "  " + column.name() + " " + column.type())
                .collect(Collectors.joining(",\n"));
        String properties = properties(bucket, prefix, since).entrySet().stream()
                .map(p -> "  '" + p.getKey() + "' = '" + p.getValue() + "'")
                .collect(Collectors.joining(",\n"));
        return "CREATE EXTERNAL TABLE " + NAME + " (\n" + columns + ")\n"
                + "PARTITIONED BY (" + PARTITION + " string)\n"
                + storage + "\n"
                + "LOCATION '" + location(bucket, prefix) + "'\n"
                + "TBLPROPERTIES (\n" + properties + ");\n";
    }

    /** A name as the metastore keeps it (Glue and Hive lower-case column names). */
    static String metastoreName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
