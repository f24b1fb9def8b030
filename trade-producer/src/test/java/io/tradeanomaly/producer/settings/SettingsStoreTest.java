package io.tradeanomaly.producer.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.web.InvalidSettingsException;
import io.tradeanomaly.producer.generator.FactorRange;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SettingsStoreTest {

    private final Validator validator =
            Validation.buildDefaultValidatorFactory().getValidator();
    private final ProducerSettings defaults =
            new ProducerSettings(100, 1000, 0.05, new FactorRange(2, 5), new FactorRange(10, 50), true);

    @Test
    void partialUpdateChangesOnlyTheGivenFields() {
        SettingsStore store = new SettingsStore(defaults, validator);
        AtomicInteger notified = new AtomicInteger();
        store.onChange(notified::incrementAndGet);

        ProducerSettings updated = store.update(new SettingsUpdate(null, null, 0.2, null, null, null));

        assertThat(updated)
                .isEqualTo(new ProducerSettings(100, 1000, 0.2, new FactorRange(2, 5), new FactorRange(10, 50), true));
        assertThat(store.get()).isEqualTo(updated);
        assertThat(notified).hasValue(1);
    }

    @Test
    void invalidUpdatesAreRefusedWholeAndChangeNothing() {
        SettingsStore store = new SettingsStore(defaults, validator);

        assertRefused(store, new SettingsUpdate(null, null, 1.5, null, null, null), "outlierRate");
        assertRefused(store, new SettingsUpdate(0, null, null, null, null, null), "recordsPerTick");
        assertRefused(store, new SettingsUpdate(10001, null, null, null, null, null), "recordsPerTick");
        assertRefused(store, new SettingsUpdate(null, 5L, null, null, null, null), "tickIntervalMs");
        assertRefused(
                store, new SettingsUpdate(null, null, null, new FactorRange(5, 2), null, null), "priceFactor.ordered");
        assertRefused(
                store, new SettingsUpdate(null, null, null, null, new FactorRange(1, 3), null), "quantityFactor.min");
        // a valid field next to an invalid one is not applied either
        assertRefused(store, new SettingsUpdate(500, null, -0.1, null, null, null), "outlierRate");

        assertThat(store.get()).isEqualTo(defaults);
    }

    private static void assertRefused(SettingsStore store, SettingsUpdate update, String field) {
        assertThatThrownBy(() -> store.update(update))
                .isInstanceOfSatisfying(
                        InvalidSettingsException.class,
                        e -> assertThat(e.errors()).containsKey(field));
    }
}
