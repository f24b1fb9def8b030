package io.tradeanomaly.producer.settings;

import io.tradeanomaly.common.settings.SettingsDocument;
import io.tradeanomaly.common.settings.SharedSettings;
import io.tradeanomaly.common.web.InvalidSettingsException;
import jakarta.validation.Validator;
import java.time.Clock;

/**
 * The producer's runtime settings, shared by its replicas ({@link SharedSettings}: kept in S3, polled, changed with
 * compare-and-set). An update is validated as a whole and applied atomically, or not at all; every replica applies it
 * from its next tick after its next poll.
 */
public class SettingsStore {

    private final SharedSettings<ProducerSettings> shared;
    private final Validator validator;

    public SettingsStore(SharedSettings<ProducerSettings> shared, Validator validator) {
        this.shared = shared;
        this.validator = validator;
    }

    /** Settings of this JVM only (not shared): for a test or a single replica. */
    public SettingsStore(ProducerSettings initial, Validator validator) {
        this(
                new SharedSettings<>(
                        "trade-producer settings",
                        SettingsDocument.inMemory(),
                        ProducerSettings.class,
                        InvalidSettingsException.requireValid(validator, initial),
                        Clock.systemUTC()),
                validator);
    }

    public ProducerSettings get() {
        return shared.get();
    }

    /**
     * Applies a partial update to the shared settings; throws {@link InvalidSettingsException} and changes nothing if
     * the result is invalid.
     */
    public ProducerSettings update(SettingsUpdate update) {
        return shared.update(current -> InvalidSettingsException.requireValid(validator, update.applyTo(current)));
    }

    /**
     * Called after every change, made here or by another replica (the emitter uses it to apply a new interval without
     * waiting out the old one).
     */
    public void onChange(Runnable listener) {
        shared.onChange(settings -> listener.run());
    }
}
