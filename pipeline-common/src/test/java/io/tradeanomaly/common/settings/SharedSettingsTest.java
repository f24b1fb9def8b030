package io.tradeanomaly.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Settings shared by replicas through one versioned document: changes made at once never interleave or get lost,
 * another replica applies a change at its next refresh, a refused change stores nothing. Against the in-memory
 * document; {@code SharedSettingsIT} (anomaly-detector) does the same through two detectors on the local S3.
 */
class SharedSettingsTest {

    /** Two fields that a change must update together. */
    record Pair(int a, int b) {}

    private final SettingsDocument document = SettingsDocument.inMemory();

    private SharedSettings<Pair> replica() {
        return new SharedSettings<>("test settings", document, Pair.class, new Pair(0, 0), Clock.systemUTC());
    }

    @Test
    void concurrentChangesThroughTwoReplicasAllApplyWholeOneAfterTheOther() throws Exception {
        List<SharedSettings<Pair>> replicas = List.of(replica(), replica());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SharedSettings<Pair> replica = replicas.get(i % 2);
            changes.add(threads.submit(() -> {
                start.await();
                return replica.update(p -> new Pair(p.a() + 1, p.b() + 1));
            }));
        }
        start.countDown();
        int conflicts = 0;
        for (Future<?> change : changes) {
            try {
                change.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SettingsConflictException.class);
                conflicts++;
            }
        }
        threads.shutdown();

        SharedSettings<Pair> fresh = replica();
        fresh.refresh();
        // every change that returned is in the document, none half-applied, none lost
        assertThat(fresh.get()).isEqualTo(new Pair(40 - conflicts, 40 - conflicts));
        assertThat(fresh.version()).isEqualTo(40 - conflicts);
        assertThat(conflicts).as("changes that lost every race").isLessThan(10);
    }

    @Test
    void anotherReplicaAppliesAChangeAtItsNextRefreshAndTellsItsListeners() {
        SharedSettings<Pair> first = replica();
        SharedSettings<Pair> second = replica();
        AtomicInteger heard = new AtomicInteger();
        second.onChange(p -> heard.incrementAndGet());

        first.update(p -> new Pair(7, 8));
        assertThat(second.get()).isEqualTo(new Pair(0, 0));

        second.refresh();
        assertThat(second.get()).isEqualTo(new Pair(7, 8));
        assertThat(heard).hasValue(1);
        second.refresh();
        assertThat(heard).as("nothing new").hasValue(1);
    }

    @Test
    void aRefusedChangeStoresNothing() {
        SharedSettings<Pair> replica = replica();
        replica.update(p -> new Pair(1, 1));

        assertThatThrownBy(() -> replica.update(p -> {
                    throw new IllegalArgumentException("invalid");
                }))
                .hasMessage("invalid");

        SharedSettings<Pair> fresh = replica();
        fresh.refresh();
        assertThat(fresh.get()).isEqualTo(new Pair(1, 1));
        assertThat(fresh.version()).isEqualTo(1);
    }

    @Test
    void aChangeThatLosesEveryRaceFailsWithAConflictAndStoresNothing() {
        AtomicInteger attempts = new AtomicInteger();
        SettingsDocument alwaysOvertaken = new SettingsDocument() {
            @Override
            public Optional<Stored> read() {
                return document.read();
            }

            @Override
            public String write(byte[] body, String expectedVersion) {
                attempts.incrementAndGet();
                throw new VersionConflictException("overtaken", null);
            }
        };
        SharedSettings<Pair> replica =
                new SharedSettings<>("test settings", alwaysOvertaken, Pair.class, new Pair(0, 0), Clock.systemUTC());

        assertThatThrownBy(() -> replica.update(p -> new Pair(1, 1))).isInstanceOf(SettingsConflictException.class);
        assertThat(attempts.get()).isBetween(2, 10);
        assertThat(replica.get()).isEqualTo(new Pair(0, 0));
    }

    @Test
    void aReadFailureKeepsWhatTheReplicaHas() {
        SharedSettings<Pair> writer = replica();
        writer.update(p -> new Pair(3, 3));
        SettingsDocument failing = new SettingsDocument() {
            @Override
            public Optional<Stored> read() {
                throw new SettingsUnavailableException("S3 is down", null);
            }

            @Override
            public String write(byte[] body, String expectedVersion) {
                throw new SettingsUnavailableException("S3 is down", null);
            }
        };
        SharedSettings<Pair> replica =
                new SharedSettings<>("test settings", failing, Pair.class, new Pair(0, 0), Clock.systemUTC());

        replica.refresh();

        assertThat(replica.get()).isEqualTo(new Pair(0, 0));
        assertThatThrownBy(() -> replica.update(p -> new Pair(9, 9))).isInstanceOf(SettingsUnavailableException.class);
    }
}
