package io.tradeanomaly.localaws;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code node_modules} folder holding the pinned emulators ({@code local-aws/node_modules}, installed by the
 * build with {@code npm ci}): from {@code -Dlocal-aws.node-modules} or {@code LOCAL_AWS_NODE_MODULES}, else by looking
 * upwards from the working directory, so that tests of any module and the run command all find it.
 */
final class EmulatorHome {

    private EmulatorHome() {}

    static Path locate() {
        String configured = System.getProperty("local-aws.node-modules", System.getenv("LOCAL_AWS_NODE_MODULES"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath();
            if (!hasEmulators(path)) {
                throw new IllegalStateException("no kinesis-local/dynalite under " + path);
            }
            return path;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("node_modules"), dir.resolve("local-aws/node_modules")}) {
                if (hasEmulators(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("The local AWS emulators are not installed: run "
                + "'./mvnw -pl local-aws generate-resources' (npm ci in local-aws/) first");
    }

    /** The text every patch of {@code local-aws/patches/} leaves in the patched files. */
    static final String PATCH_MARKER = "trade-anomaly-pipeline (local-aws/patches)";

    /**
     * Refuses an emulator installed without the project's patches (for example by a plain {@code npm install} that
     * skipped the postinstall step): unpatched, kinesis-local's PutRecords slows down with every record in a shard.
     */
    static void requirePatched(Path nodeModules) {
        Path main = nodeModules.resolve("kinesis-local/main.js");
        try {
            if (!Files.readString(main).contains(PATCH_MARKER)) {
                throw new IllegalStateException(main + " lacks the project's patch (local-aws/patches/"
                        + "kinesis-local+0.6.2.patch): reinstall with 'npm ci' in local-aws/, which applies it");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + main, e);
        }
    }

    private static boolean hasEmulators(Path nodeModules) {
        return Files.isRegularFile(nodeModules.resolve("kinesis-local/main.js"))
                && Files.isRegularFile(nodeModules.resolve("dynalite/cli.js"));
    }
}
