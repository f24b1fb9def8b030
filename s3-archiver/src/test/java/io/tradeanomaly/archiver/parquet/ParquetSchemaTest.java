package io.tradeanomaly.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.archiver.system.ArchiverProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Parquet columns as the Athena table's column list, and each line's projection onto them. */
class ParquetSchemaTest {

    private static final String IDENTITY =
            "sourceShardId string, sourceSequenceNumber string, sourceSubSequenceNumber bigint, arrivalTime string";

    @Test
    void theTradeColumnsReadAsDuckDbTypesWithTheirCaseKept() {
        ParquetSchema schema = ParquetSchema.parse(ArchiverProperties.TRADE_COLUMNS);
        assertThat(schema.names())
                .startsWith("tickerSymbol", "tradeType", "price")
                .contains("ANOMALY_EXPLANATION");
        assertThat(schema.duckDbColumns())
                .contains("'price': 'DOUBLE'")
                .contains(
                        "'ANOMALY_EXPLANATION': 'STRUCT(\"price\" STRUCT(\"DIRECTION\" VARCHAR, \"STRENGTH\" DOUBLE,");
    }

    @Test
    void theParquetTableOfTheDocsHasTheColumnsTheArchiverWritesByDefault() throws Exception {
        Matcher ddl = Pattern.compile(
                        "```sql\\nCREATE EXTERNAL TABLE anomalous_trades \\(([^`]*?)\\)\\nPARTITIONED BY \\(datehour"
                                + " string\\)\\nSTORED AS PARQUET\\n",
                        Pattern.DOTALL)
                .matcher(Files.readString(Path.of("..", "docs", "archiver.md")));
        assertThat(ddl.find()).as("docs/archiver.md shows the Parquet table").isTrue();
        ParquetSchema docs = ParquetSchema.parse(ddl.group(1));
        ParquetSchema written = ParquetSchema.parse(ArchiverProperties.TRADE_COLUMNS);
        assertThat(docs.names()).isEqualTo(written.names());
        assertThat(docs.duckDbColumns()).isEqualTo(written.duckDbColumns());
    }

    @Test
    void aLineIsProjectedOntoTheColumnsInTheirOrderWithTheColumnsTypes() {
        ParquetSchema schema = ParquetSchema.parse(
                "device struct<id:string>, temperature double, count int, tags array<string>, " + IDENTITY);
        String projected = project(
                schema,
                "{\"TEMPERATURE\":61,\"extra\":true,\"device\":{\"ID\":\"pump-7\",\"site\":\"n\"},\"count\":3.0,"
                        + "\"tags\":[\"a\",7],\"sourceShardId\":\"s\",\"sourceSequenceNumber\":\"1\"}");
        assertThat(projected)
                .isEqualTo("{\"device\":{\"id\":\"pump-7\"},\"temperature\":61.0,\"count\":3,\"tags\":[\"a\",\"7\"],"
                        + "\"sourceShardId\":\"s\",\"sourceSequenceNumber\":\"1\",\"sourceSubSequenceNumber\":null,"
                        + "\"arrivalTime\":null}");
        assertThat(project(schema, projected)).isEqualTo(projected); // projecting again changes nothing
    }

    @Test
    void aValueItsColumnCannotHoldIsRefusedNamingTheField() {
        ParquetSchema schema = ParquetSchema.parse("e struct<s:double>, n tinyint, b boolean, " + IDENTITY);
        assertThatThrownBy(() -> project(schema, "{\"e\":{\"s\":\"high\"}}")).hasMessageContaining("e.s is \"high\"");
        assertThatThrownBy(() -> project(schema, "{\"n\":300}")).hasMessageContaining("n is 300");
        assertThatThrownBy(() -> project(schema, "{\"n\":1.5}")).hasMessageContaining("tinyint");
        assertThatThrownBy(() -> project(schema, "{\"b\":\"yes\"}")).hasMessageContaining("boolean");
        assertThatThrownBy(() -> project(schema, "[1]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void aColumnListWithoutTheIdentityOrOfUnknownTypesIsRefused() {
        assertThatThrownBy(() -> ParquetSchema.parse("id bigint")).hasMessageContaining("sourceShardId");
        assertThatThrownBy(() -> ParquetSchema.parse("t timestamp, " + IDENTITY))
                .hasMessageContaining("not timestamp");
        assertThatThrownBy(() -> ParquetSchema.parse("s struct<a:string, " + IDENTITY))
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> ParquetSchema.parse("a string, A int, " + IDENTITY))
                .hasMessageContaining("not given before");
        assertThatThrownBy(() -> ParquetSchema.parse("s struct<x:int,X:int>, " + IDENTITY))
                .hasMessageContaining("not given before");
        assertThatThrownBy(() -> ParquetSchema.parse(IDENTITY.replace("sourceShardId", "sourceshardid")))
                .hasMessageContaining("sourceShardId string, spelt so");
        assertThat(ParquetSchema.parse("`my col` varchar(10), " + IDENTITY).names())
                .startsWith("my col");
    }

    private static String project(ParquetSchema schema, String line) {
        return new String(schema.project(line.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
