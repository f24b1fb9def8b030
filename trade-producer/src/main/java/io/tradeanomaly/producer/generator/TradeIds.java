package io.tradeanomaly.producer.generator;

import java.time.Clock;
import java.time.Instant;

/**
 * Trade ids that are unique across restarts and replicas and stay exact in JavaScript and JSON tools (at most 2^53):
 * 38 bits of 10 ms ticks since 2024-01-01 (good for 87 years), 7 bits of producer instance, 8 bits of sequence. An
 * instance issues at most 256 ids per 10 ms tick; beyond that its logical clock runs ahead of the wall clock rather
 * than repeat an id. Not thread-safe: one per generator.
 */
public final class TradeIds {

    /** Number of distinct instance ids. */
    public static final int INSTANCES = 128;

    private static final long EPOCH_MILLIS =
            Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final int SEQUENCE_BITS = 8;
    private static final int INSTANCE_BITS = 7;

    private final Clock clock;
    private final int instance;
    private long lastTick = -1;
    private int sequence;

    public TradeIds(Clock clock, int instance) {
        if (instance < 0 || instance >= INSTANCES) {
            throw new IllegalArgumentException("instance must be in [0, " + INSTANCES + ")");
        }
        this.clock = clock;
        this.instance = instance;
    }

    public long next() {
        long tick = (clock.millis() - EPOCH_MILLIS) / 10;
        if (tick > lastTick) {
            lastTick = tick;
            sequence = 0;
        } else if (++sequence >= 1 << SEQUENCE_BITS) {
            lastTick++;
            sequence = 0;
        }
        return (lastTick << (INSTANCE_BITS + SEQUENCE_BITS)) | ((long) instance << SEQUENCE_BITS) | sequence;
    }

    /** The instance bits of an id (for tests and diagnostics). */
    public static int instanceOf(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & (INSTANCES - 1));
    }
}
