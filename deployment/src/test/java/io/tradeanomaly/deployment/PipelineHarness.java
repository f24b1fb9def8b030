package io.tradeanomaly.deployment;

import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three services as separate processes (their real executable jars) on the local AWS stack, in one namespace of
 * freshly provisioned resources, with KCL's failover and leader timings shortened for tests.
 */
final class PipelineHarness implements AutoCloseable {

    static final String PASSWORD = "harness-secret";

    final LocalAwsStack stack;
    final LocalAwsNamespace names;
    final ServiceProcess producer;
    final ServiceProcess detector;
    final ServiceProcess archiver;
    private final List<ServiceProcess> extra = new ArrayList<>();

    PipelineHarness(
            LocalAwsStack stack,
            LocalAwsNamespace names,
            List<String> producerArgs,
            List<String> detectorArgs,
            List<String> archiverArgs) {
        this.stack = stack;
        this.names = names;
        this.producer = service("trade-producer", producerArgs);
        this.detector = service("anomaly-detector", detectorArgs);
        this.archiver = service("s3-archiver", archiverArgs);
    }

    ServiceProcess service(String module, List<String> args) {
        return service(module, module, args);
    }

    /** A (further) instance of a service, e.g. a second detector replica. */
    ServiceProcess service(String module, String instanceName, List<String> args) {
        List<String> arguments = new ArrayList<>();
        stack.springProperties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
        arguments.addAll(List.of(
                "--producer.stream=" + names.tradesStream(),
                "--detector.source-stream=" + names.tradesStream(),
                "--detector.anomaly-stream=" + names.anomaliesStream(),
                "--detector.application-name=" + names.detectorApplication(),
                "--detector.dead-letter-bucket=" + names.bucket(),
                "--detector.snapshot-bucket=" + names.bucket(),
                "--detector.settings-bucket=" + names.bucket(),
                "--producer.settings-bucket=" + names.bucket(),
                "--archiver.stream=" + names.anomaliesStream(),
                "--archiver.application-name=" + names.archiverApplication(),
                "--archiver.bucket=" + names.bucket(),
                "--archiver.grace=3s",
                "--pipeline.kcl.failover-time=3s",
                "--pipeline.kcl.lease-assignment-interval=1s",
                "--pipeline.kcl.leader-lease-duration=10s",
                "--pipeline.kcl.dispatch-poll-interval=200ms",
                "--pipeline.kcl.shard-sync-interval=1s",
                "--pipeline.kcl.shutdown-timeout=20s",
                "--pipeline.kcl.worker-id=" + instanceName + "-" + System.nanoTime()));
        arguments.addAll(args);
        ServiceProcess process = new ServiceProcess(
                instanceName,
                Tools.ROOT.resolve(module).resolve("target").resolve(module + ".jar"),
                freePort(),
                arguments,
                Map.of("PIPELINE_ADMIN_PASSWORD", PASSWORD),
                Path.of("target", "services").toAbsolutePath());
        extra.add(process);
        return process;
    }

    List<ServiceProcess> all() {
        return List.of(producer, detector, archiver);
    }

    @Override
    public void close() {
        for (ServiceProcess process : extra) {
            process.stop();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
