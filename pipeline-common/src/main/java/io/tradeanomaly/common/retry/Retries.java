package io.tradeanomaly.common.retry;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The pipeline's one retry mechanism, on Spring Framework's {@link RetryTemplate}: exponential backoff with jitter, a
 * bound on attempts, a condition to keep trying (e.g. "this worker still owns the shard") checked before every retry,
 * and interrupts honoured (the flag is kept and retrying stops). Failures the caller does not call retryable are
 * thrown at once, unchanged (a checked one too: catch it as {@code Exception}).
 */
public final class Retries {

    /** Why retrying stopped without success. */
    public enum Reason {
        /** Every allowed attempt failed. */
        EXHAUSTED,
        /** The caller's condition turned false (lease lost, shutting down). */
        STOPPED,
        /** The thread was interrupted (its interrupt flag is set again). */
        INTERRUPTED
    }

    /** Retrying stopped without success; the last failure is the cause. */
    public static final class GaveUpException extends RuntimeException {
        private final Reason reason;

        GaveUpException(String what, Reason reason, long attempts, Throwable last) {
            super(what + ": gave up (" + reason + ") after " + attempts + " attempt(s): " + last, last);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Retries.class);

    /**
     * Attempts per {@link RetryTemplate} run: the template keeps every failure of a run, so endless retrying runs in
     * rounds to keep memory bounded.
     */
    private static final long ROUND = 100;

    private Retries() {}

    /**
     * Calls until the call succeeds.
     *
     * @param what what is attempted, for logs
     * @param backoff the pauses and the bound on attempts
     * @param keepTrying checked before every retry; when false, retrying stops ({@link Reason#STOPPED})
     * @param retryable which failures are retried; others are thrown at once
     * @param call the call
     * @return the call's result
     * @throws GaveUpException when retrying stopped without success
     */
    public static <T> T call(
            String what,
            Backoff backoff,
            BooleanSupplier keepTrying,
            Predicate<Throwable> retryable,
            Retryable<T> call) {
        long attempts = 0;
        while (true) {
            long round = Math.min(ROUND, backoff.maxAttempts() - attempts);
            AtomicBoolean stopped = new AtomicBoolean();
            RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
                    .maxRetries(round - 1)
                    .delay(backoff.first())
                    .multiplier(2)
                    .maxDelay(backoff.max())
                    .jitter(backoff.first().dividedBy(2))
                    .predicate(e -> {
                        if (!retryable.test(e)) {
                            return false;
                        }
                        if (!keepTrying.getAsBoolean()) {
                            stopped.set(true);
                            return false;
                        }
                        return true;
                    })
                    .build());
            long before = attempts;
            template.setRetryListener(new RetryListener() {
                @Override
                public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                    long attempt = before + state.getRetryCount();
                    if (attempt <= 3 || attempt % 10 == 0) {
                        log.warn(
                                "{} failed (attempt {}); retrying: {}",
                                what,
                                attempt,
                                String.valueOf(state.getLastException()));
                    }
                }
            });
            try {
                return template.execute(call);
            } catch (RetryException e) {
                attempts += e.getRetryCount() + 1;
                Throwable last = e.getLastException() == null ? e : e.getLastException();
                if (Thread.currentThread().isInterrupted()) {
                    throw new GaveUpException(what, Reason.INTERRUPTED, attempts, last);
                }
                if (stopped.get()) {
                    throw new GaveUpException(what, Reason.STOPPED, attempts, last);
                }
                if (!retryable.test(last)) {
                    throw sneaky(last);
                }
                if (attempts >= backoff.maxAttempts()) {
                    throw new GaveUpException(what, Reason.EXHAUSTED, attempts, last);
                }
                pauseBetweenRounds(backoff, what, attempts, last);
            }
        }
    }

    /** The pause a round ends without: the next round starts after the longest backoff. */
    private static void pauseBetweenRounds(Backoff backoff, String what, long attempts, Throwable last) {
        try {
            Thread.sleep(backoff.max().toMillis()); // backoff between rounds of the same retry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GaveUpException(what, Reason.INTERRUPTED, attempts, last);
        }
    }

    /** Throws the failure as it is, checked or not (callers catch checked ones as {@code Exception}). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable failure) throws E {
        throw (E) failure;
    }
}
