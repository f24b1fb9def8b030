package io.tradeanomaly.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {

    private static final Backoff FAST = new Backoff(5, Duration.ofMillis(1), Duration.ofMillis(2));

    @Test
    void retriesRetryableFailuresUntilTheCallSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = Retries.call("flaky", FAST, () -> true, e -> e instanceof IllegalStateException, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastFailureAsCause() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Retries.call("always", FAST, () -> true, e -> true, () -> {
                    throw new IllegalStateException("failure " + calls.incrementAndGet());
                }))
                .isInstanceOfSatisfying(
                        Retries.GaveUpException.class,
                        e -> assertThat(e.reason()).isEqualTo(Retries.Reason.EXHAUSTED))
                .hasRootCauseMessage("failure 5");
        assertThat(calls).hasValue(5);
    }

    @Test
    void aFailureThatIsNotRetryableIsThrownAtOnceUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Retries.call("bug", FAST, () -> true, e -> e instanceof IllegalStateException, () -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("a bug");
                }))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("a bug");
        assertThat(calls).hasValue(1);
    }

    @Test
    void stopsRetryingAsSoonAsTheConditionTurnsFalse() {
        AtomicInteger calls = new AtomicInteger();
        Backoff endless = Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(2));
        assertThatThrownBy(() -> Retries.call("while owner", endless, () -> calls.get() < 4, e -> true, () -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("down");
                }))
                .isInstanceOfSatisfying(
                        Retries.GaveUpException.class,
                        e -> assertThat(e.reason()).isEqualTo(Retries.Reason.STOPPED));
        assertThat(calls).hasValue(4);
    }

    @Test
    void retriesBeyondOneRoundWhenUnbounded() {
        AtomicInteger calls = new AtomicInteger();
        Backoff endless = Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(1));
        int result = Retries.call("long outage", endless, () -> true, e -> true, () -> {
            if (calls.incrementAndGet() < 250) {
                throw new IllegalStateException("down");
            }
            return calls.get();
        });
        assertThat(result).isEqualTo(250);
    }

    @Test
    void anInterruptEndsRetryingAndKeepsTheFlag() throws Exception {
        Backoff endless = Backoff.untilStopped(Duration.ofSeconds(5), Duration.ofSeconds(5));
        Throwable[] thrown = new Throwable[1];
        boolean[] flag = new boolean[1];
        Thread worker = new Thread(() -> {
            try {
                Retries.call("interrupted", endless, () -> true, e -> true, () -> {
                    throw new IllegalStateException("down");
                });
            } catch (Throwable e) {
                thrown[0] = e;
                flag[0] = Thread.currentThread().isInterrupted();
            }
        });
        worker.start();
        worker.interrupt();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown[0])
                .isInstanceOfSatisfying(
                        Retries.GaveUpException.class,
                        e -> assertThat(e.reason()).isEqualTo(Retries.Reason.INTERRUPTED));
        assertThat(flag[0]).isTrue();
    }
}
