package io.tradeanomaly.deployment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.deployment.bench.ProcessStatsAccess;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The pipeline benchmark ({@code bench/pipeline.sh}): the detector's and archiver's real jars on the local AWS stack,
 * driven at increasing rates by a generator in this JVM. Per step it reports the rate put, scored and archived, the
 * consumer lag at the end, latency put → anomaly on the stream (p50/p95/p99, from the trade's time to the anomaly
 * record's arrival time) and put → object in S3, the mean PutRecords time, and CPU and RSS of each process. Then,
 * optionally, a soak at one rate reported per period. Settings (system properties): {@code bench.rates}
 * (1000,2500,5000,7500), {@code bench.step-seconds} (60), {@code bench.variants} (default; also idle1500, kda),
 * {@code bench.soak-minutes} (0: none), {@code bench.soak-rate} (1000), {@code bench.soak-period-minutes} (5),
 * {@code bench.in-flight} (4: PutRecords calls the load generator has open at once).
 */
public final class PipelineBenchmark {

    private static final String[] TICKERS = {
        "AAPL", "AMZN", "MSFT", "GOOG", "META", "TSLA", "NFLX", "INTC", "F", "KO", "AZO", "BKNG"
    };
    private static final double[] PRICES = {190, 180, 420, 170, 500, 250, 650, 30, 12, 60, 3000, 3800};
    private static final TradeCodec CODEC = new TradeCodec();
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    /** Batches being put at once by the load generator. */
    private static final int IN_FLIGHT = Integer.getInteger("bench.in-flight", 4);

    record Variant(String key, String name, List<String> detectorArgs, boolean measureS3) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("default", "per-ticker, idle 200 ms (default)", List.of(), true),
            new Variant(
                    "idle1500",
                    "per-ticker, idle 1500 ms (KCL default)",
                    List.of("--pipeline.kcl.polling-idle-time=1500ms"),
                    false),
            new Variant("kda", "global (KDA), idle 200 ms", List.of("--detector.method=kda"), false));

    public static void main(String[] args) throws Exception {
        int stepSeconds = Integer.parseInt(System.getProperty("bench.step-seconds", "60"));
        List<Integer> rates = new ArrayList<>();
        for (String rate :
                System.getProperty("bench.rates", "1000,2500,5000,7500").split(",")) {
            if (!rate.isBlank()) {
                rates.add(Integer.parseInt(rate.trim()));
            }
        }
        List<String> chosen =
                List.of(System.getProperty("bench.variants", "default").split(","));
        List<Variant> variants =
                VARIANTS.stream().filter(v -> chosen.contains(v.key())).toList();
        int soakMinutes = Integer.parseInt(System.getProperty("bench.soak-minutes", "0"));
        int soakRate = Integer.parseInt(System.getProperty("bench.soak-rate", "1000"));
        int soakPeriod = Integer.parseInt(System.getProperty("bench.soak-period-minutes", "5"));
        try (LocalAwsStack stack = LocalAwsStack.start(
                LocalAwsStack.Ports.free(), Path.of("target", "bench", "logs").toAbsolutePath(), null)) {
            List<String> report = new ArrayList<>();
            report.add(
                    "| variant | step | put/s | scored/s | archived/s | lag at end | put → anomaly p50 / p95 / p99 | put → S3 p50 / p95 | PutRecords mean | GetRecords at the tip | CPU % detector / archiver / kinesis / dynamo / bench | RSS MB detector / archiver / kinesis |");
            report.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (Variant variant : variants) {
                report.addAll(run(stack, variant, rates, stepSeconds, 0, soakRate, soakPeriod));
                System.out.println(String.join("\n", report));
            }
            if (soakMinutes > 0) {
                report.addAll(run(stack, VARIANTS.get(0), List.of(), stepSeconds, soakMinutes, soakRate, soakPeriod));
            }
            System.out.println();
            System.out.println("== Pipeline benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, step "
                    + stepSeconds + " s) ==");
            System.out.println(String.join("\n", report));
        }
    }

    private static List<String> run(
            LocalAwsStack stack,
            Variant variant,
            List<Integer> rates,
            int stepSeconds,
            int soakMinutes,
            int soakRate,
            int soakPeriod)
            throws Exception {
        LocalAwsNamespace names = LocalAwsNamespace.isolated("bench");
        stack.provision(names);
        List<String> rows = new ArrayList<>();
        try (PipelineHarness pipeline =
                new PipelineHarness(stack, names, List.of(), variant.detectorArgs(), List.of())) {
            pipeline.detector.start();
            pipeline.archiver.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!(pipeline.detector.isUp() && pipeline.archiver.isUp())) {
                for (ServiceProcess service : List.of(pipeline.detector, pipeline.archiver)) {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("service exited; see " + service.logFile());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("services not up");
                }
                Thread.sleep(500); // a benchmark driver polling readiness, not a test
            }
            // warm every model up (256 trades per ticker) before measuring
            long warm = 0;
            while (warm < 4000) {
                warm += drive(stack, names, 1000, 2, new SimpleMeterRegistry());
            }
            awaitScored(pipeline.detector, warm, Duration.ofMinutes(2));
            for (int rate : rates) {
                rows.add(step(stack, names, pipeline, variant, String.format("%,d/s", rate), rate, stepSeconds, true));
                System.out.println(rows.get(rows.size() - 1));
            }
            for (int minute = 0; minute < soakMinutes; minute += soakPeriod) {
                String label = String.format(
                        "soak %,d/s, min %d-%d", soakRate, minute, Math.min(soakMinutes, minute + soakPeriod));
                rows.add(step(
                        stack,
                        names,
                        pipeline,
                        variant,
                        label,
                        soakRate,
                        Math.min(soakPeriod, soakMinutes - minute) * 60,
                        false));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        return rows;
    }

    private static String step(
            LocalAwsStack stack,
            LocalAwsNamespace names,
            PipelineHarness pipeline,
            Variant variant,
            String label,
            int rate,
            int seconds,
            boolean waitForS3)
            throws Exception {
        List<Long> anomalyLatency = Collections.synchronizedList(new ArrayList<>());
        List<Long> s3Latency = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        String iterator = stack.kinesis()
                .getShardIterator(b -> b.streamName(names.anomaliesStream())
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.LATEST))
                .join()
                .shardIterator();
        Thread reader = new Thread(() -> readAnomalies(stack, iterator, anomalyLatency, running));
        Set<String> seenKeys = new HashSet<>(stack.objectKeys(names.bucket(), ""));
        Thread archive = new Thread(() -> watchArchive(stack, names, seenKeys, s3Latency, running));
        reader.start();
        archive.start();

        double scoredBefore = metric(pipeline.detector, "trades_scored_total");
        double archivedBefore = metric(pipeline.archiver, "anomalies_archived_total");
        Map<String, ProcessStatsAccess.Stats> before = stats(stack, pipeline);
        long start = System.nanoTime();
        SimpleMeterRegistry putMetrics = new SimpleMeterRegistry();
        long put = drive(stack, names, rate, seconds, putMetrics);
        double putMillis = putMetrics.get("kinesis.put.records").timer().mean(TimeUnit.MILLISECONDS);
        double wall = (System.nanoTime() - start) / 1e9;
        double scored = (metric(pipeline.detector, "trades_scored_total") - scoredBefore) / wall;
        double archived = (metric(pipeline.archiver, "anomalies_archived_total") - archivedBefore) / wall;
        double lag = maxMetric(pipeline.detector, "kcl_millis_behind_latest");
        long getRecordsMillis = getRecordsLatency(stack, names.tradesStream());
        Map<String, ProcessStatsAccess.Stats> after = stats(stack, pipeline);
        // let the archive's open minute close (the harness's grace: 3 s) for the S3 latencies of this step
        long until = System.nanoTime()
                + Duration.ofSeconds(variant.measureS3() && waitForS3 ? 75 : 0).toNanos();
        while (System.nanoTime() < until && s3Latency.size() < anomalyLatency.size()) {
            Thread.sleep(1000); // benchmark driver waiting for the archive
        }
        running.set(false);
        reader.join();
        archive.join();
        return String.format(
                "| %s | %s | %,.0f | %,.0f | %,.0f | %,.0f ms | %s | %s | %,.0f ms | %,d ms | %s | %s |",
                variant.name(),
                label,
                put / wall,
                scored,
                archived,
                lag,
                percentiles(anomalyLatency, 50, 95, 99),
                variant.measureS3() ? percentiles(s3Latency, 50, 95) : "–",
                putMillis,
                getRecordsMillis,
                cpu(before, after, wall, "detector", "archiver", "kinesis", "dynamo", "bench"),
                rss(after, "detector", "archiver", "kinesis"));
    }

    /**
     * Puts {@code rate} trades per second for {@code seconds} of wall time, 10 batches a second, up to
     * {@link #IN_FLIGHT} batches being put at once (a producer with several connections); a batch that is due while
     * that many are still being put is skipped (the stream took less than asked). Returns how many were put.
     */
    private static long drive(
            LocalAwsStack stack, LocalAwsNamespace names, int rate, int seconds, SimpleMeterRegistry registry)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(rate);
        PutRecordsPublisher publisher = new PutRecordsPublisher(
                stack.kinesis(), names.tradesStream(), io.tradeanomaly.common.retry.Backoff.defaults(), registry);
        AtomicLong put = new AtomicLong();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
        java.util.concurrent.ExecutorService putters = java.util.concurrent.Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            long next = System.nanoTime();
            long end = next + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (slots.tryAcquire()) {
                    List<PutRecordsRequestEntry> entries = new ArrayList<>(rate / 10);
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    for (int i = 0; i < rate / 10; i++) {
                        Trade trade = trade(random, now); // its tradeTime is the put time the latencies start from
                        entries.add(PutRecordsPublisher.entry(trade.tickerSymbol(), CODEC.encode(trade)));
                    }
                    putters.execute(() -> {
                        try {
                            put.addAndGet(
                                    entries.size() - publisher.publish(entries).size());
                        } finally {
                            slots.release();
                        }
                    });
                }
                next += 100_000_000;
                while (next < System.nanoTime()) {
                    next += 100_000_000; // behind: skip the batches that are already late
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the load generator
                }
            }
        } finally {
            putters.shutdown();
            putters.awaitTermination(1, TimeUnit.MINUTES);
        }
        return put.get();
    }

    private static Trade trade(SplittableRandom random, Instant now) {
        int t = random.nextInt(TICKERS.length);
        double price = PRICES[t] * (1 + 0.002 * random.nextGaussian());
        long quantity = Math.min(1000, Math.max(1, Math.round(100 * Math.exp(0.5 * random.nextGaussian()))));
        boolean outlier = random.nextDouble() < 0.05;
        if (outlier) {
            price *= 2 + 3 * random.nextDouble();
            quantity = Math.round(quantity * (10 + 40 * random.nextDouble()));
        }
        return new Trade(
                IDS.incrementAndGet(),
                TICKERS[t],
                random.nextBoolean() ? TradeType.BUY : TradeType.SELL,
                Math.round(price * 100) / 100.0,
                quantity,
                now,
                outlier);
    }

    /** How long kinesis-local takes to answer one GetRecords at the tip of a shard (little or nothing to return). */
    private static long getRecordsLatency(LocalAwsStack stack, String stream) {
        String iterator = stack.kinesis()
                .getShardIterator(b -> b.streamName(stream)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.LATEST))
                .join()
                .shardIterator();
        long start = System.nanoTime();
        stack.kinesis().getRecords(b -> b.shardIterator(iterator).limit(10000)).join();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** When the trade of an anomaly record was made. */
    private static Instant tradeTime(byte[] anomaly) {
        return Instant.parse(
                JsonRecords.parseObject(anomaly, 1 << 20).get("tradeTime").stringValue());
    }

    private static void readAnomalies(LocalAwsStack stack, String start, List<Long> latency, AtomicBoolean running) {
        String iterator = start;
        while (running.get() && iterator != null) {
            String current = iterator;
            GetRecordsResponse response = stack.kinesis()
                    .getRecords(b -> b.shardIterator(current).limit(10000))
                    .join();
            for (Record record : response.records()) {
                latency.add(
                        Duration.between(tradeTime(record.data().asByteArray()), record.approximateArrivalTimestamp())
                                .toMillis());
            }
            iterator = response.nextShardIterator();
            if (response.records().isEmpty()) {
                pause(50);
            }
        }
    }

    private static void watchArchive(
            LocalAwsStack stack, LocalAwsNamespace names, Set<String> seen, List<Long> latency, AtomicBoolean running) {
        while (running.get()) {
            for (String key : stack.objectKeys(names.bucket(), "")) {
                if (!PipelineChecks.isArchived(key) || !seen.add(key)) {
                    continue;
                }
                Instant now = Instant.now();
                try {
                    for (String line : stack.objectText(names.bucket(), key).split("\n")) {
                        Instant put = tradeTime(line.getBytes());
                        latency.add(Duration.between(put, now).toMillis());
                    }
                } catch (RuntimeException beingWritten) {
                    seen.remove(key);
                }
            }
            pause(500);
        }
    }

    private static Map<String, ProcessStatsAccess.Stats> stats(LocalAwsStack stack, PipelineHarness pipeline) {
        Map<String, ProcessStatsAccess.Stats> stats = new LinkedHashMap<>();
        stats.put("detector", ProcessStatsAccess.of(pipeline.detector.pid()));
        stats.put("archiver", ProcessStatsAccess.of(pipeline.archiver.pid()));
        stats.put("kinesis", ProcessStatsAccess.of(stack.emulatorPids().get(0)));
        stats.put("dynamo", ProcessStatsAccess.of(stack.emulatorPids().get(1)));
        stats.put("bench", ProcessStatsAccess.of(ProcessHandle.current().pid()));
        return stats;
    }

    private static String cpu(
            Map<String, ProcessStatsAccess.Stats> before,
            Map<String, ProcessStatsAccess.Stats> after,
            double wall,
            String... names) {
        List<String> values = new ArrayList<>();
        for (String name : names) {
            values.add(String.format(
                    "%.0f", (after.get(name).cpuMillis() - before.get(name).cpuMillis()) / (wall * 10)));
        }
        return String.join(" / ", values);
    }

    private static String rss(Map<String, ProcessStatsAccess.Stats> after, String... names) {
        List<String> values = new ArrayList<>();
        for (String name : names) {
            values.add(Long.toString(after.get(name).rssKb() / 1024));
        }
        return String.join(" / ", values);
    }

    private static String percentiles(List<Long> values, int... percentiles) {
        if (values.isEmpty()) {
            return "–";
        }
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        Collections.sort(sorted);
        List<String> result = new ArrayList<>();
        for (int p : percentiles) {
            long value = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
            result.add(value >= 10_000 ? String.format("%.1f s", value / 1000.0) : value + " ms");
        }
        return String.join(" / ", result);
    }

    private static void awaitScored(ServiceProcess detector, double count, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (metric(detector, "trades_scored_total") < count && System.nanoTime() < deadline) {
            Thread.sleep(500); // benchmark driver polling a counter
        }
    }

    private static double metric(ServiceProcess service, String name) {
        return service.get("/actuator/prometheus")
                .map(m -> PrometheusSamples.values(m, name).sum())
                .orElse(0.0);
    }

    private static double maxMetric(ServiceProcess service, String name) {
        return service.get("/actuator/prometheus")
                .map(m -> PrometheusSamples.values(m, name).max().orElse(0))
                .orElse(0.0);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling loop of the benchmark's readers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
