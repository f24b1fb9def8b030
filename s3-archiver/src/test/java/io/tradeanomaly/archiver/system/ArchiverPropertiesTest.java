package io.tradeanomaly.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.archiver.parquet.ParquetLineFormat;
import io.tradeanomaly.common.s3.LineFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The archiver's settings as Spring binds and validates them: Firehose's ranges for the buffering hints, and its record
 * format conversion's Parquet.
 */
class ArchiverPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ArchiverProperties.class)
    static class Bind {}

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bind.class);

    @Test
    void firehosesBufferingHintsWithinItsRangesSetTheObjectsWindowAndSize() {
        context.withPropertyValues("archiver.buffer-interval=900s", "archiver.buffer-size=128MB")
                .run(c -> {
                    assertThat(c).hasNotFailed();
                    ArchiverProperties properties = c.getBean(ArchiverProperties.class);
                    assertThat(properties.partitioning().interval()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(properties.partitioning().maxObjectBytes()).isEqualTo(128L << 20);
                });
        context.run(c -> assertThat(c.getBean(ArchiverProperties.class).partitioning())
                .satisfies(p -> {
                    assertThat(p.interval()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(p.maxObjectBytes()).isEqualTo(5L << 20);
                }));
    }

    @Test
    void valuesOutsideFirehosesRangesStopTheStartNamingTheSetting() {
        for (String wrong : new String[] {
            "archiver.buffer-interval=59s",
            "archiver.buffer-interval=901s",
            "archiver.buffer-interval=90500ms",
            "archiver.buffer-size=1023KB",
            "archiver.buffer-size=129MB"
        }) {
            context.withPropertyValues(wrong)
                    .run(c -> assertThat(c)
                            .as(wrong)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining(
                                    camelCase(wrong.substring("archiver.".length(), wrong.indexOf('=')))));
        }
    }

    @Test
    void parquetIsChosenByTheFormatAndRefusedWithGzipOrColumnsWithoutTheIdentity() {
        context.run(c ->
                assertThat(c.getBean(ArchiverProperties.class).objectFormat()).isEqualTo(LineFormat.NDJSON));
        context.withPropertyValues("archiver.format=parquet").run(c -> {
            assertThat(c).hasNotFailed();
            assertThat(c.getBean(ArchiverProperties.class).objectFormat()).isInstanceOf(ParquetLineFormat.class);
        });
        context.withPropertyValues("archiver.format=PARQUET", "archiver.compression=GZIP")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("compressionNoneWithParquet"));
        context.withPropertyValues("archiver.format=PARQUET", "archiver.parquet-columns=id bigint, price double")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("parquetColumnsValid"));
        // the columns are only checked when they are used
        context.withPropertyValues("archiver.parquet-columns=id bigint")
                .run(c -> assertThat(c).hasNotFailed());
    }

    /** The record component's name, as Spring's validation message names it ({@code buffer-size}: bufferSize). */
    private static String camelCase(String kebab) {
        int dash = kebab.indexOf('-');
        return kebab.substring(0, dash) + Character.toUpperCase(kebab.charAt(dash + 1)) + kebab.substring(dash + 2);
    }
}
