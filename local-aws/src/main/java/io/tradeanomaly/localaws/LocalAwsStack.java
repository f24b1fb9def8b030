package io.tradeanomaly.localaws;

import io.tradeanomaly.common.aws.AwsClientFactory;
import io.tradeanomaly.common.aws.PipelineAwsProperties;
import io.tradeanomaly.common.kcl.LeaseTables;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import io.tradeanomaly.common.trade.PipelineNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local AWS stack (docs/local-aws.md): kinesis-local and dynalite as child node processes bound to 127.0.0.1, s3proxy in
 * this JVM. {@link #start} waits until each answers; {@link #provision} creates a pipeline's streams, bucket and
 * lease tables; {@link #close} stops everything it started. The node children also exit on their own when this JVM
 * dies, however it dies.
 */
public final class LocalAwsStack implements AutoCloseable {

    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String REGION = "us-east-1";

    /** Where the emulators listen unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(LocalAwsStack.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * kinesis-local allocates a short-lived object graph per record (Scala.js collections, cats-effect fibers): with
     * V8's default young generation (16 MB semi-spaces) it spent a quarter of its ticks collecting garbage at 2,500/s
     * (node --prof); 64 MB semi-spaces carried 3,971 instead of 2,775 trades/s through the pipeline benchmark
     * (docs/performance.md).
     */
    static final List<String> KINESIS_NODE_OPTIONS = List.of("--max-semi-space-size=64");

    private static final Duration OVERWRITE_WINDOW = Duration.ofSeconds(30); // generous: a loaded 2-core machine
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The four ports of the stack. */
    public record Ports(int kinesisTls, int kinesisPlain, int dynamoDb, int s3) {
        /** The fixed ports of docs/contracts.md, used by {@code ./run-local.sh} and the {@code local} profile. */
        public static Ports fixed() {
            return new Ports(4567, 4568, 4569, 4570);
        }

        /** Free ephemeral ports, for tests. */
        public static Ports free() {
            return new Ports(freePort(), freePort(), freePort(), freePort());
        }
    }

    /** See {@link #maxRecordsPerShard()}. */
    public static final int DEFAULT_MAX_RECORDS_PER_SHARD = 300_000;

    private final Ports ports;
    private final Path workDir;
    private int maxRecordsPerShard;
    private String bindHost = LOOPBACK;
    private final List<NodeEmulator> emulators = new ArrayList<>();
    private S3ProxyServer s3;
    private AwsClientFactory clients;
    private KinesisAsyncClient kinesis;
    private DynamoDbAsyncClient dynamoDb;
    private S3Client s3Client;

    private LocalAwsStack(Ports ports, Path workDir) {
        this.ports = ports;
        this.workDir = workDir;
    }

    /** Attempts to start the stack on free ports before giving up. */
    static final int FREE_PORT_ATTEMPTS = 3;

    /**
     * Starts the stack on free ports ({@link Ports#free}), choosing them again when it cannot start on them: a port
     * found free is in the ephemeral range, and until the emulator binds it another process's connection may take it
     * (seen once in CI: "cannot start s3proxy on port 33257", Failed to bind).
     */
    public static LocalAwsStack startOnFreePorts(Path workDir, Path s3DataDir) {
        return startOnFreePorts(Ports::free, workDir, s3DataDir);
    }

    static LocalAwsStack startOnFreePorts(Supplier<Ports> ports, Path workDir, Path s3DataDir) {
        return Retries.call(
                "start the local AWS stack on free ports",
                new Backoff(FREE_PORT_ATTEMPTS, Duration.ofMillis(100), Duration.ofSeconds(1)),
                () -> true,
                e -> e instanceof IllegalStateException,
                () -> start(ports.get(), workDir, s3DataDir));
    }

    /**
     * Starts the stack.
     *
     * @param ports the ports to listen on (127.0.0.1)
     * @param workDir where emulator logs go
     * @param s3DataDir the s3proxy filesystem store; null keeps objects in memory
     */
    public static LocalAwsStack start(Ports ports, Path workDir, Path s3DataDir) {
        return start(ports, workDir, s3DataDir, maxRecordsPerShard());
    }

    /**
     * Starts the stack with a retention cap: each Kinesis shard keeps its newest {@code maxRecordsPerShard} records
     * (kinesis-mock never drops a record by itself; the project's patch adds the cap, see docs/local-aws.md). A
     * consumer whose position was trimmed reads on from the oldest record kept, as on AWS after the retention period.
     */
    public static LocalAwsStack start(Ports ports, Path workDir, Path s3DataDir, int maxRecordsPerShard) {
        return start(ports, workDir, s3DataDir, maxRecordsPerShard, LOOPBACK);
    }

    /**
     * Starts the stack listening on {@code bindHost}: {@value #LOOPBACK} everywhere except inside a container
     * (docker-compose.yml's {@code local-aws} service), where the other containers must reach it.
     */
    public static LocalAwsStack start(
            Ports ports, Path workDir, Path s3DataDir, int maxRecordsPerShard, String bindHost) {
        LocalAwsStack stack = new LocalAwsStack(ports, workDir);
        stack.maxRecordsPerShard = maxRecordsPerShard;
        stack.bindHost = bindHost;
        try {
            stack.startAll(EmulatorHome.locate(), s3DataDir);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The default retention cap: {@code LOCAL_AWS_KINESIS_MAX_RECORDS_PER_SHARD}, else 300,000 records per shard (about
     * 0.35 GB of emulator memory per full shard; the last 100 minutes of a trades shard at the producer's default rate
     * of 100 trades/s, 10 minutes at 1,000/s). See docs/local-aws.md.
     */
    public static int maxRecordsPerShard() {
        String configured = System.getenv("LOCAL_AWS_KINESIS_MAX_RECORDS_PER_SHARD");
        return configured == null || configured.isBlank()
                ? DEFAULT_MAX_RECORDS_PER_SHARD
                : Integer.parseInt(configured.trim());
    }

    private void startAll(Path nodeModules, Path s3DataDir) {
        EmulatorHome.requirePatched(nodeModules);
        Path kinesisDir = nodeModules.resolve("kinesis-local");
        emulators.add(NodeEmulator.start(
                "kinesis-local",
                KINESIS_NODE_OPTIONS,
                kinesisDir.resolve("main.js"),
                List.of(),
                Map.of(
                        "KINESIS_MOCK_PLAIN_PORT",
                        Integer.toString(ports.kinesisPlain()),
                        "KINESIS_MOCK_TLS_PORT",
                        Integer.toString(ports.kinesisTls()),
                        "KINESIS_MOCK_CERT_PATH",
                        kinesisDir.resolve("server.json").toString(),
                        "LOG_LEVEL",
                        "WARN",
                        "SHARD_LIMIT",
                        "1000",
                        "KINESIS_MOCK_MAX_RECORDS_PER_SHARD",
                        Integer.toString(maxRecordsPerShard),
                        "CREATE_STREAM_DURATION",
                        "100ms",
                        "DELETE_STREAM_DURATION",
                        "100ms",
                        "AWS_REGION",
                        REGION,
                        "AWS_ACCOUNT_ID",
                        "000000000000"),
                bindHost,
                workDir,
                () -> httpOk(URI.create(kinesisEndpoint() + "/healthcheck")),
                START_TIMEOUT));
        emulators.add(NodeEmulator.start(
                "dynalite",
                List.of(),
                nodeModules.resolve("dynalite").resolve("cli.js"),
                List.of(
                        "--host",
                        bindHost,
                        "--port",
                        Integer.toString(ports.dynamoDb()),
                        "--createTableMs",
                        "20",
                        "--deleteTableMs",
                        "20",
                        "--updateTableMs",
                        "20"),
                Map.of(),
                bindHost,
                workDir,
                () -> tcpOpen(ports.dynamoDb()),
                START_TIMEOUT));
        try {
            s3 = new S3ProxyServer(bindHost, ports.s3(), s3DataDir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy on port " + ports.s3(), e);
        }
        clients = new AwsClientFactory(awsProperties());
        kinesis = clients.kinesis();
        dynamoDb = clients.dynamoDb();
        s3Client = clients.s3();
        log.info(
                "Local AWS stack up: Kinesis {} DynamoDB {} S3 {}",
                kinesisEndpoint(),
                dynamoDbEndpoint(),
                s3Endpoint());
    }

    public Ports ports() {
        return ports;
    }

    public URI kinesisEndpoint() {
        return URI.create("http://127.0.0.1:" + ports.kinesisPlain());
    }

    public URI dynamoDbEndpoint() {
        return URI.create("http://127.0.0.1:" + ports.dynamoDb());
    }

    public URI s3Endpoint() {
        return URI.create("http://127.0.0.1:" + ports.s3());
    }

    /** Settings that point the pipeline's clients at this stack. */
    public PipelineAwsProperties awsProperties() {
        return PipelineAwsProperties.forLocalStack(kinesisEndpoint(), dynamoDbEndpoint(), s3Endpoint());
    }

    /** The same as {@link #awsProperties()}, as Spring property keys, for tests that start a service. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("pipeline.aws.region", REGION);
        properties.put("pipeline.aws.kinesis.endpoint", kinesisEndpoint().toString());
        properties.put("pipeline.aws.dynamodb.endpoint", dynamoDbEndpoint().toString());
        properties.put("pipeline.aws.s3.endpoint", s3Endpoint().toString());
        properties.put("pipeline.aws.s3.path-style-access", "true");
        properties.put("pipeline.aws.credentials.access-key-id", ACCESS_KEY);
        properties.put("pipeline.aws.credentials.secret-access-key", SECRET_KEY);
        return properties;
    }

    /** Builds further clients for this stack (e.g. CloudWatch for a KCL consumer that never uses it). */
    public AwsClientFactory clientFactory() {
        return clients;
    }

    public KinesisAsyncClient kinesis() {
        return kinesis;
    }

    public DynamoDbAsyncClient dynamoDb() {
        return dynamoDb;
    }

    public S3Client s3() {
        return s3Client;
    }

    /** Creates the streams (trades 2 shards, anomalies 1), the bucket and both lease tables, and waits for them. */
    public void provision(LocalAwsNamespace names) {
        createStream(names.tradesStream(), PipelineNames.TRADES_STREAM_LOCAL_SHARDS);
        createStream(names.anomaliesStream(), PipelineNames.ANOMALIES_STREAM_LOCAL_SHARDS);
        createBucket(names.bucket());
        LeaseTables.ensureLeaseTable(dynamoDb, names.detectorApplication(), START_TIMEOUT);
        LeaseTables.ensureLeaseTable(dynamoDb, names.archiverApplication(), START_TIMEOUT);
        awaitStreamActive(names.tradesStream());
        awaitStreamActive(names.anomaliesStream());
    }

    /** Creates a stream (if absent) and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        try {
            kinesis.createStream(b -> b.streamName(name).shardCount(shards)).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
        }
        awaitStreamActive(name);
    }

    public void createBucket(String bucket) {
        try {
            s3Client.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // already there
        }
    }

    private void awaitStreamActive(String name) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (kinesis.describeStreamSummary(b -> b.streamName(name))
                        .join()
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " not ACTIVE after " + START_TIMEOUT);
            }
            pause();
        }
    }

    /**
     * Every record now on a stream, shard by shard from TRIM_HORIZON (closed shards included), in each shard's order.
     * For tests that check what reached a stream.
     */
    public List<Record> readAll(String stream) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).join().shards()) {
            records.addAll(readShard(stream, shard.shardId(), null));
        }
        return records;
    }

    /**
     * The records of one shard after a sequence number (from TRIM_HORIZON when it is null) up to the shard's tip now,
     * in order: a live stream never stops growing, so reading stops once it has caught up.
     */
    public List<Record> readShard(String stream, String shardId, String afterSequenceNumber) {
        String iterator = kinesis.getShardIterator(b -> {
                    b.streamName(stream).shardId(shardId);
                    if (afterSequenceNumber == null) {
                        b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    } else {
                        b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(afterSequenceNumber);
                    }
                })
                .join()
                .shardIterator();
        List<Record> records = new ArrayList<>();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(
                            b -> b.shardIterator(current).limit(10000))
                    .join();
            records.addAll(response.records());
            boolean caughtUp = response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
            if (response.records().isEmpty() || caughtUp) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return records;
    }

    /** Keys of the objects under a prefix, sorted (s3proxy's folder markers, keys ending in '/', left out). */
    public List<String> objectKeys(String bucket, String prefix) {
        return s3Client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .filter(key -> !key.endsWith("/"))
                .sorted()
                .toList();
    }

    /**
     * An object's content as UTF-8 text (GZIP-decoded when it is stored with Content-Encoding gzip). s3proxy's file
     * store answers 404 for a moment while an object is being overwritten (a replay rewrites an archive or dead-letter
     * object under the same key), so a 404 is believed only after it has lasted {@link #OVERWRITE_WINDOW}.
     */
    public String objectText(String bucket, String key) {
        long giveUp = System.nanoTime() + OVERWRITE_WINDOW.toNanos();
        ResponseBytes<GetObjectResponse> response = null;
        while (response == null) {
            try {
                response = s3Client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            } catch (NoSuchKeyException missing) {
                if (System.nanoTime() > giveUp) {
                    throw missing;
                }
                pause();
            }
        }
        byte[] bytes = response.asByteArray();
        if ("gzip".equalsIgnoreCase(response.response().contentEncoding())) {
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Makes S3 unavailable (connections refused) until {@link #startS3()}; the objects are kept. */
    public void stopS3() {
        try {
            s3.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy", e);
        }
    }

    /** Brings S3 back on the same port with the same objects. */
    public void startS3() {
        try {
            s3.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart s3proxy", e);
        }
    }

    /** Process ids of the emulators this stack started (s3proxy runs in this JVM). */
    public List<Long> emulatorPids() {
        return emulators.stream().map(NodeEmulator::pid).toList();
    }

    public boolean isHealthy() {
        return emulators.stream().allMatch(NodeEmulator::isAlive) && s3 != null && s3.isRunning();
    }

    @Override
    public void close() {
        for (AutoCloseable client : new AutoCloseable[] {kinesis, dynamoDb, s3Client}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    log.debug("closing client", e);
                }
            }
        }
        if (s3 != null) {
            try {
                s3.close();
            } catch (Exception e) {
                log.warn("stopping s3proxy", e);
            }
        }
        for (NodeEmulator emulator : emulators) {
            emulator.close();
        }
        emulators.clear();
    }

    private static boolean httpOk(URI uri) {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(uri)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean tcpOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling an emulator's resource state (or an object being overwritten)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path defaultWorkDir() {
        try {
            return Files.createTempDirectory("local-aws-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
