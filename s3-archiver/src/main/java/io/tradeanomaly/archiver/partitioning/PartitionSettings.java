package io.tradeanomaly.archiver.partitioning;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When an object is rolled: Firehose's buffering hints, made deterministic. An object holds the records of one window
 * of arrival time; windows are {@code interval} long and aligned to the UTC hour (the last window of an hour ends at
 * the hour when the interval does not divide it, e.g. 420 s: 10:56:00-11:00:00), so a record's window depends on its
 * arrival time alone and every object lies within one hour folder.
 *
 * @param maxObjectBytes roll before an object would exceed this many (uncompressed) bytes (Firehose's buffer size)
 * @param maxObjectRecords roll when an object holds this many records
 * @param interval the length of a window (Firehose's buffer interval)
 * @param grace how long after its window ends an object still waits, at the tip, for that window's last records
 */
public record PartitionSettings(long maxObjectBytes, int maxObjectRecords, Duration interval, Duration grace) {

    public PartitionSettings {
        if (interval.isNegative() || interval.isZero() || interval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("the buffer interval is a whole number of seconds, not " + interval);
        }
    }

    /** One-minute windows, as the archiver had before the interval could be set. */
    public PartitionSettings(long maxObjectBytes, int maxObjectRecords, Duration grace) {
        this(maxObjectBytes, maxObjectRecords, Duration.ofMinutes(1), grace);
    }

    /** The start of the window an arrival time falls in. */
    public Instant windowStart(Instant arrival) {
        Instant hour = arrival.truncatedTo(ChronoUnit.HOURS);
        long seconds = interval.toSeconds();
        long intoHour = Duration.between(hour, arrival).toSeconds();
        return hour.plusSeconds(intoHour / seconds * seconds);
    }

    /** The end (exclusive) of the window that starts at {@code start}. */
    public Instant windowEnd(Instant start) {
        Instant next = start.plus(interval);
        Instant hour = start.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        return next.isAfter(hour) ? hour : next;
    }
}
