package io.tradeanomaly.detector.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.detector.settings.DetectorSettings;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.settings.ThresholdUpdate;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DetectorController {

    private final DetectorSettingsStore settings;
    private final RecentAnomalies recent;

    DetectorController(DetectorSettingsStore settings, RecentAnomalies recent) {
        this.settings = settings;
        this.recent = recent;
    }

    @GetMapping("/api/detector/settings")
    @Operation(summary = "The detector's settings; only the threshold can be changed at runtime")
    DetectorSettings settings() {
        return settings.get();
    }

    @PutMapping("/api/detector/settings")
    @Operation(
            summary = "Change the threshold from the next batch on (admin only)",
            security = @SecurityRequirement(name = "admin"))
    DetectorSettings update(@RequestBody ThresholdUpdate update) {
        return settings.update(update);
    }

    @GetMapping("/api/anomalies")
    @Operation(
            summary = "The most recent anomalies, newest first (KDA's order: arrival second, then score);"
                    + " of one key (the value of detector.input.key) with key=")
    List<Anomaly> anomalies(
            @RequestParam(defaultValue = "50") @Min(1) @Max(100_000) int limit,
            @RequestParam(required = false) String key) {
        return recent.newest(Math.min(limit, recent.capacity()), key == null || key.isBlank() ? null : key);
    }

    @GetMapping("/api/anomalies/keys")
    @Operation(summary = "Anomalies per key since this detector started: count and latest, most first")
    List<KeyTally.Line> keys() {
        return recent.perKey();
    }
}
