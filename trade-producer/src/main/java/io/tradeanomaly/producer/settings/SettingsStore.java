package io.tradeanomaly.producer.settings;

import io.tradeanomaly.common.web.InvalidSettingsException;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds the current settings; an update is validated as a whole and applied atomically, or not at all. */
public class SettingsStore {

    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

    private final AtomicReference<ProducerSettings> current;
    private final Validator validator;
    private final List<Runnable> listeners = new ArrayList<>();

    public SettingsStore(ProducerSettings initial, Validator validator) {
        this.validator = validator;
        this.current = new AtomicReference<>(InvalidSettingsException.requireValid(validator, initial));
    }

    public ProducerSettings get() {
        return current.get();
    }

    /** Applies a partial update; throws {@link InvalidSettingsException} and changes nothing if the result is invalid. */
    public synchronized ProducerSettings update(SettingsUpdate update) {
        ProducerSettings next = InvalidSettingsException.requireValid(validator, update.applyTo(current.get()));
        current.set(next);
        log.info("Settings changed: {}", next);
        listeners.forEach(Runnable::run);
        return next;
    }

    /** Called after every change (the emitter uses it to apply a new interval without waiting out the old one). */
    public synchronized void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
