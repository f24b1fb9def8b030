package io.tradeanomaly.common.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * Reads an event time in the forms streams carry it, detecting which: ISO-8601 with an offset ({@code
 * 2026-11-26T08:00:00.123Z}, {@code +01:00}, {@code +0100}) or without one (taken as UTC), with a space instead of the
 * {@code T} (as many CSV files write it) or a date alone; or a number of seconds, milliseconds, microseconds or
 * nanoseconds since the epoch, told apart by magnitude (below 10^11 seconds, i.e. before the year 5138; below 10^14
 * milliseconds; below 10^17 microseconds; nanoseconds above), as a JSON number or a numeric string.
 */
public final class EventTimes {

    private static final DateTimeFormatter LOCAL_OR_OFFSET = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffset("+HH:MM:ss", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalEnd()
            .toFormatter();

    private static final BigDecimal SECONDS_BELOW = BigDecimal.valueOf(100_000_000_000L);
    private static final BigDecimal MILLIS_BELOW = BigDecimal.valueOf(100_000_000_000_000L);
    private static final BigDecimal MICROS_BELOW = BigDecimal.valueOf(100_000_000_000_000_000L);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);

    private EventTimes() {}

    /** The instant a text gives, or null when it is not a time in any of the accepted forms. */
    public static Instant parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            return null;
        }
        char first = value.charAt(0);
        if (first == '-' || first == '+' || first == '.' || Character.isDigit(first)) {
            if (value.length() < 10 || value.charAt(4) != '-') {
                try {
                    return fromEpoch(new BigDecimal(value));
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
        }
        if (value.length() > 10 && value.charAt(10) == ' ') {
            value = value.substring(0, 10) + 'T' + value.substring(11).strip();
        }
        try {
            var parsed = LOCAL_OR_OFFSET.parseBest(value, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof OffsetDateTime offset) {
                return offset.toInstant();
            }
            if (parsed instanceof LocalDateTime local) {
                return local.toInstant(ZoneOffset.UTC);
            }
            return ((LocalDate) parsed).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** The instant of a number since the epoch, its unit told by its magnitude; null when out of range. */
    public static Instant fromEpoch(BigDecimal value) {
        BigDecimal magnitude = value.abs();
        BigDecimal seconds;
        if (magnitude.compareTo(SECONDS_BELOW) < 0) {
            seconds = value;
        } else if (magnitude.compareTo(MILLIS_BELOW) < 0) {
            seconds = value.movePointLeft(3);
        } else if (magnitude.compareTo(MICROS_BELOW) < 0) {
            seconds = value.movePointLeft(6);
        } else {
            seconds = value.movePointLeft(9);
        }
        try {
            long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole))
                    .multiply(BILLION)
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }
}
