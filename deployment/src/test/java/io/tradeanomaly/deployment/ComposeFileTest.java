package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml passes Debian's docker-compose 1.29 and dclint, and a broken copy does not. */
class ComposeFileTest {

    private static final Map<String, String> ENV = Map.of("PIPELINE_ADMIN_PASSWORD", "validation-only");

    @Test
    void dockerCompose129AcceptsTheFile() {
        Tools.Result result = Tools.run(
                List.of(Tools.dockerCompose().toString(), "-f", "docker-compose.yml", "config", "-q"), Tools.ROOT, ENV);
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    @Test
    void dclintFindsNothing() {
        Tools.Result result = Tools.run(Tools.dclint().toString(), "-c", ".dclintrc.yaml", "docker-compose.yml");
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).doesNotContain("error");
    }

    @Test
    void theServicesWaitForHealthyDependenciesAndHaveMemoryLimits() throws Exception {
        String compose = Files.readString(Tools.ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("condition: service_healthy").contains("mem_limit:");
        for (String service :
                List.of("local-aws", "trade-producer", "anomaly-detector", "s3-archiver", "prometheus", "grafana")) {
            assertThat(compose).contains("  " + service + ":");
        }
        Tools.Result rendered = Tools.run(
                List.of(Tools.dockerCompose().toString(), "-f", "docker-compose.yml", "config"), Tools.ROOT, ENV);
        assertThat(rendered.output())
                .contains("PIPELINE_AWS_KINESIS_ENDPOINT: http://local-aws:4568")
                .contains("PIPELINE_AWS_DYNAMODB_ENDPOINT: http://local-aws:4569")
                .contains("PIPELINE_AWS_S3_ENDPOINT: http://local-aws:4570")
                .contains("service_healthy");
    }

    @Test
    void everyImageOfOursIsBuiltFromTheSourcesAndKinesisIsTheProjectsPatchedEmulator() throws Exception {
        Tools.Result rendered = Tools.run(
                List.of(Tools.dockerCompose().toString(), "-f", "docker-compose.yml", "config"), Tools.ROOT, ENV);
        assertThat(rendered.output())
                .contains("dockerfile: docker/Dockerfile")
                .contains("target: local-aws")
                .contains("target: service")
                .doesNotContain("localstack");
        String dockerfile = Files.readString(Tools.ROOT.resolve("docker/Dockerfile"));
        // no jar from an earlier ./mvnw package: the image builds them; the emulators are installed with their patches
        assertThat(dockerfile)
                .contains("./mvnw")
                .contains("--mount=type=cache")
                .contains("COPY local-aws/patches patches")
                .contains("npm ci")
                .contains("ARG JRE_IMAGE=eclipse-temurin:");
        assertThat(Files.readString(Tools.ROOT.resolve(".dockerignore")))
                .contains("**/target/")
                .contains("**/node_modules/");
    }

    @Test
    void aBrokenComposeFileFailsBothValidators(@TempDir Path dir) throws Exception {
        String broken = Files.readString(Tools.ROOT.resolve("docker-compose.yml"))
                .replace("condition: service_healthy", "condition: when_it_feels_like_it")
                .replace("    mem_limit: 768m", "    mem_limit: [768m]");
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, broken);
        Files.copy(Tools.ROOT.resolve(".dclintrc.yaml"), dir.resolve(".dclintrc.yaml"));

        Tools.Result compose =
                Tools.run(List.of(Tools.dockerCompose().toString(), "-f", file.toString(), "config", "-q"), dir, ENV);
        Tools.Result dclint =
                Tools.run(List.of(Tools.dclint().toString(), "-c", ".dclintrc.yaml", file.toString()), dir, Map.of());

        assertThat(compose.ok()).as(compose.output()).isFalse();
        assertThat(dclint.ok()).as(dclint.output()).isFalse();
    }
}
