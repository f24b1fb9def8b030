package io.tradeanomaly.common.settings;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A service's runtime settings, the same for all its replicas and kept across restarts: one {@link SettingsDocument}
 * (an S3 object) that every replica reads at start and polls, and that a change writes with compare-and-set.
 *
 * <p>A change ({@link #update}) is applied to the freshly read document and written conditionally on its version;
 * when another replica wrote in between, it is applied again to that replica's document (a lost race retries on the
 * fresh value), up to a bound, after which it fails with {@link SettingsConflictException} and nothing is changed.
 * Two changes made at once therefore never interleave: each applies whole, one after the other. Other replicas see a
 * change at their next poll. The stored settings win over the configured ones (those apply until the first change).
 *
 * <p>The document: {@code {"version": 3, "changedAt": "2026-12-07T10:15:30Z", "settings": {...}}}. Thread-safe.
 *
 * @param <T> the settings record (JSON by Jackson)
 */
public final class SharedSettings<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedSettings.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How a change that lost a race is tried again: at once on the fresh value, a few times. */
    private static final Backoff RACES = new Backoff(8, Duration.ofMillis(20), Duration.ofMillis(400));

    /** What this replica holds: the settings, their document version (null: none stored) and version number. */
    private record State<T>(T settings, String version, long number) {}

    private final String name;
    private final SettingsDocument document;
    private final Class<T> type;
    private final T configured;
    private final Clock clock;
    private final AtomicReference<State<T>> state;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService poller;
    private volatile boolean failing;

    /**
     * @param name what the settings are, for logs ({@code anomaly-detector settings})
     * @param document where they are kept
     * @param type the settings record
     * @param configured the settings until the first change is stored
     */
    public SharedSettings(String name, SettingsDocument document, Class<T> type, T configured, Clock clock) {
        this.name = name;
        this.document = document;
        this.type = type;
        this.configured = configured;
        this.clock = clock;
        this.state = new AtomicReference<>(new State<>(configured, null, 0));
    }

    /** The settings this replica applies now. */
    public T get() {
        return state.get().settings();
    }

    /** How many changes the stored settings have seen (0: none, the configured settings apply). */
    public long version() {
        return state.get().number();
    }

    /** Called with the new settings after every change, made here or read from another replica's. */
    public void onChange(Consumer<T> listener) {
        listeners.add(listener);
    }

    /**
     * Applies a change to the current stored settings and stores the result, compare-and-set.
     *
     * @param change the new settings from the current ones; it may throw (a validation error) to change nothing
     * @return the settings stored
     * @throws SettingsConflictException when every attempt lost a race against other changes
     * @throws SettingsUnavailableException when the document cannot be read or written
     */
    public T update(UnaryOperator<T> change) {
        try {
            return Retries.call(
                    "changing " + name,
                    RACES,
                    () -> true,
                    e -> e instanceof SettingsDocument.VersionConflictException,
                    () -> attemptUpdate(change));
        } catch (Retries.GaveUpException e) {
            throw new SettingsConflictException(
                    name + " were changed by other replicas throughout; nothing was changed, try again", e);
        }
    }

    private T attemptUpdate(UnaryOperator<T> change) {
        State<T> current = stored().orElse(new State<>(configured, null, 0));
        T next = change.apply(current.settings());
        long number = current.number() + 1;
        String version = document.write(encode(number, next), current.version());
        apply(new State<>(next, version, number));
        log.info("{} changed (version {}): {}", name, number, next);
        return next;
    }

    /** Reads the stored settings and applies them when they changed; a failure keeps what this replica has. */
    public void refresh() {
        try {
            stored().ifPresent(this::apply);
            if (failing) {
                failing = false;
                log.info("{} can be read again", name);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("{}: keeping the current ones, cannot read the stored ones: {}", name, e.getMessage());
            }
        }
    }

    /** Reads once now, then polls every {@code interval} on a daemon thread until {@link #close}. */
    public synchronized SharedSettings<T> start(Duration interval) {
        refresh();
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "shared-settings");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(
                    this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    private Optional<State<T>> stored() {
        return document.read().map(stored -> decode(stored));
    }

    private void apply(State<T> next) {
        State<T> previous = state.getAndUpdate(current -> current.number() > next.number() ? current : next);
        if (previous.number() < next.number() && !previous.settings().equals(next.settings())) {
            listeners.forEach(listener -> listener.accept(next.settings()));
        }
    }

    private byte[] encode(long number, T settings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", number);
        root.put("changedAt", Instant.now(clock).toString());
        root.set("settings", JSON.valueToTree(settings));
        return JSON.writeValueAsBytes(root);
    }

    private State<T> decode(SettingsDocument.Stored stored) {
        try {
            JsonNode root = JSON.readTree(stored.body());
            return new State<>(
                    JSON.treeToValue(root.required("settings"), type),
                    stored.version(),
                    root.required("version").asLong());
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SettingsUnavailableException(name + " stored in " + document + " cannot be read: " + e, e);
        }
    }
}
