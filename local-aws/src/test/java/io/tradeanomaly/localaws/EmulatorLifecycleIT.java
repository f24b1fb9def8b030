package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** No emulator outlives the JVM that started it, whether that JVM stops cleanly or is killed with SIGKILL. */
class EmulatorLifecycleIT {

    @Test
    void emulatorsExitWhenTheirJvmIsKilled() throws Exception {
        Process launcher = startLauncher();
        List<Long> pids = awaitReady(launcher);
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

        launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(pids)
                        .noneSatisfy(pid -> assertThat(alive(pid)).isTrue()));
    }

    @Test
    void emulatorsStopWithTheirJvmOnSigterm() throws Exception {
        Process launcher = startLauncher();
        List<Long> pids = awaitReady(launcher);

        launcher.destroy(); // SIGTERM: the shutdown hook closes the stack

        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(pids)
                        .noneSatisfy(pid -> assertThat(alive(pid)).isTrue()));
    }

    private static Process startLauncher() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "lifecycle-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalAwsMain.class.getName(),
                        "--free-ports",
                        "--data-dir",
                        dataDir.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .directory(new File(System.getProperty("user.dir")))
                .start();
    }

    private static List<Long> awaitReady(Process launcher) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("LOCAL-AWS READY")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        });
        String line = ready.get(90, TimeUnit.SECONDS);
        assertThat(line).as("launcher output:\n%s", seen).isNotNull();
        CompletableFuture.runAsync(() -> {
            try {
                while (out.readLine() != null) {
                    // drain so the launcher never blocks on a full pipe
                }
            } catch (Exception ignored) {
                // launcher gone
            }
        });
        String pids = line.substring(line.indexOf("emulator-pids=") + "emulator-pids=".length())
                .trim();
        return Arrays.stream(pids.split(",")).map(Long::parseLong).toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
