package io.tradeanomaly.localaws;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar local-aws/target/local-aws-exec.jar [--data-dir DIR] [--parent-pid PID] [--free-ports] [--bind HOST]
 * [--ready-file FILE]}: starts the local AWS stack on the fixed ports of docs/contracts.md, provisions the default streams,
 * bucket and lease tables, prints {@code LOCAL-AWS READY} (and creates the ready file, the container's health check),
 * and runs until it is stopped (Ctrl-C, SIGTERM) or the parent process dies. {@code --bind 0.0.0.0} is for the
 * container image only (docker/Dockerfile, target {@code local-aws}); everywhere else the stack listens on 127.0.0.1.
 */
public final class LocalAwsMain {

    private LocalAwsMain() {}

    private static final String USAGE =
            "usage: local-aws [--data-dir DIR] [--parent-pid PID] [--free-ports] [--bind HOST] [--ready-file FILE]";

    public static void main(String[] args) throws InterruptedException, IOException {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        Path dataDir = Path.of(".local-aws");
        LocalAwsStack.Ports ports = LocalAwsStack.Ports.fixed();
        long parentPid = -1;
        String bindHost = LocalAwsStack.LOOPBACK;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--parent-pid" -> parentPid = Long.parseLong(args[++i]);
                case "--free-ports" -> ports = LocalAwsStack.Ports.free();
                case "--bind" -> bindHost = args[++i];
                case "--ready-file" -> readyFile = Path.of(args[++i]);
                default -> {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        if (readyFile != null) {
            Files.deleteIfExists(readyFile); // left by an earlier run of the same container
        }
        LocalAwsStack stack = LocalAwsStack.start(
                ports, dataDir.resolve("logs"), dataDir.resolve("s3"), LocalAwsStack.maxRecordsPerShard(), bindHost);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.close();
                            stopped.countDown();
                        },
                        "local-aws-shutdown"));
        stack.provision(LocalAwsNamespace.defaults());
        if (parentPid > 0) {
            ProcessHandle.of(parentPid)
                    .ifPresentOrElse(parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        System.out.printf(
                "LOCAL-AWS READY kinesis=%s dynamodb=%s s3=%s s3-files=%s emulator-pids=%s%n",
                stack.kinesisEndpoint(),
                stack.dynamoDbEndpoint(),
                stack.s3Endpoint(),
                dataDir.resolve("s3").toAbsolutePath(),
                stack.emulatorPids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        if (readyFile != null) {
            Files.writeString(readyFile, "ready\n");
        }
        stopped.await();
    }
}
