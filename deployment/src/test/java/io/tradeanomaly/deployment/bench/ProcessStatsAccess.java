package io.tradeanomaly.deployment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux). */
public final class ProcessStatsAccess {

    /** CPU time used so far and resident memory now. */
    public record Stats(long cpuMillis, long rssKb) {}

    private ProcessStatsAccess() {}

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    public static Stats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
            long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0L);
            return new Stats(ticks * 1000 / TICKS_PER_SECOND, rss);
        } catch (IOException | RuntimeException e) {
            return new Stats(0, 0);
        }
    }
}
