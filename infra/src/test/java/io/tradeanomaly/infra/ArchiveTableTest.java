package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The archive's Athena table is one definition: docs/archiver.md shows its DDL (s3-archiver's {@code AthenaTableTest}
 * reads that DDL and deserializes archive lines with it through Hive's JSON SerDe), and the stack creates the same
 * table in Glue.
 */
class ArchiveTableTest {

    private static final Path DOCS = Path.of("..", "docs", "archiver.md");

    @Test
    void docsArchiverShowsTheTableTheStackCreates() throws Exception {
        String ddl = ArchiveTable.ddl("anomalous-trades-archive", "", PipelineSettings.DEFAULT_ARCHIVE_SINCE);
        assertThat(Files.readString(DOCS))
                .as("docs/archiver.md must show this DDL verbatim:%n%s", ddl)
                .contains("```sql\n" + ddl + "```");
    }

    @Test
    void docsArchiverShowsTheParquetTableWithTheSameColumns() throws Exception {
        String ddl = ArchiveTable.parquetDdl("anomalous-trades-archive", "", PipelineSettings.DEFAULT_ARCHIVE_SINCE);
        assertThat(ddl).contains("STORED AS PARQUET").doesNotContain(ArchiveTable.SERDE);
        assertThat(Files.readString(DOCS))
                .as("docs/archiver.md must show this DDL verbatim:%n%s", ddl)
                .contains("```sql\n" + ddl + "```");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGlueTableHasTheDdlsColumnsSerdeAndProjection() {
        PipelineSettings settings = SynthesizedStack.get().settings;
        List<Map<String, Object>> columns = ArchiveTable.COLUMNS.stream()
                .map(c -> Map.<String, Object>of("Name", c.name().toLowerCase(), "Type", c.type()))
                .toList();
        Map<String, Object> parameters = new LinkedHashMap<>(ArchiveTable.properties(
                settings.bucketName(), settings.archivePrefix(), PipelineSettings.DEFAULT_ARCHIVE_SINCE));
        parameters.put("EXTERNAL", "TRUE");
        parameters.put("classification", "json");

        Map<String, Object> resolved =
                (Map<String, Object>) SynthesizedStack.get().stack.resolve(parameters);
        Map<String, Object> storage =
                Map.of("Columns", columns, "SerdeInfo", Map.of("SerializationLibrary", ArchiveTable.SERDE));
        Map<String, Object> input = Map.of(
                "Name", "anomalous_trades",
                "TableType", "EXTERNAL_TABLE",
                "Parameters", Match.objectEquals(resolved),
                "PartitionKeys", List.of(Map.of("Name", "datehour", "Type", "string")),
                "StorageDescriptor", Match.objectLike(storage));
        SynthesizedStack.get()
                .template
                .hasResourceProperties(
                        "AWS::Glue::Table",
                        Match.objectLike(Map.of(
                                "DatabaseName", "trade_anomaly_pipeline", "TableInput", Match.objectLike(input))));
    }

    @Test
    void withArchiveFormatParquetTheGlueTableReadsParquetAndTheChartWritesIt() {
        App app = new App(AppProps.builder().context(InfraApp.FEATURE_FLAGS).build());
        PipelineSettings settings = PipelineSettings.fromContext(
                Map.of("oidcProvider", SynthesizedStack.OIDC, "archiveFormat", "parquet")::get);
        Template template = Template.fromStack(InfraApp.stack(app, settings));
        template.hasResourceProperties(
                "AWS::Glue::Table",
                Match.objectLike(Map.of(
                        "TableInput",
                        Match.objectLike(Map.of(
                                "Parameters", Match.objectLike(Map.of("classification", "parquet")),
                                "StorageDescriptor",
                                        Match.objectLike(Map.of(
                                                "InputFormat", ArchiveTable.PARQUET_INPUT_FORMAT,
                                                "OutputFormat", ArchiveTable.PARQUET_OUTPUT_FORMAT,
                                                "SerdeInfo",
                                                        Map.of(
                                                                "SerializationLibrary",
                                                                ArchiveTable.PARQUET_SERDE))))))));
        assertThat(helmValues(template.toJSON())).contains("\"settings\":{\"ARCHIVER_FORMAT\":\"PARQUET\"}");
        assertThat(helmValues(SynthesizedStack.get().template.toJSON())).doesNotContain("ARCHIVER_FORMAT");
    }

    /** The HelmValues output as the template holds it (CloudFormation joins its parts). */
    @SuppressWarnings("unchecked")
    private static String helmValues(Map<String, Object> template) {
        Object value =
                ((Map<String, Object>) ((Map<String, Object>) template.get("Outputs")).get("HelmValues")).get("Value");
        return value.toString();
    }

    @Test
    void projectionReadsOnlyHourFoldersUnderThePrefix() {
        Map<String, String> properties =
                ArchiveTable.properties("b", "anomalies/", PipelineSettings.DEFAULT_ARCHIVE_SINCE);
        assertThat(properties)
                .containsEntry("projection.enabled", "true")
                .containsEntry("projection.datehour.format", "yyyy/MM/dd/HH")
                .containsEntry("projection.datehour.range", "2026/01/01/00,NOW")
                .containsEntry("storage.location.template", "s3://b/anomalies/${datehour}/");
    }
}
