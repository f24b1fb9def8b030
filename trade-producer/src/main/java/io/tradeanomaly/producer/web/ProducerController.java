package io.tradeanomaly.producer.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.tradeanomaly.producer.settings.ProducerSettings;
import io.tradeanomaly.producer.settings.SettingsStore;
import io.tradeanomaly.producer.settings.SettingsUpdate;
import io.tradeanomaly.producer.sharding.ShardEstimate;
import io.tradeanomaly.producer.sharding.ShardEstimator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/producer")
class ProducerController {

    private final SettingsStore settings;

    ProducerController(SettingsStore settings) {
        this.settings = settings;
    }

    @GetMapping("/settings")
    @Operation(summary = "The producer's current settings")
    ProducerSettings settings() {
        return settings.get();
    }

    @PutMapping("/settings")
    @Operation(
            summary = "Change settings from the next tick on (partial update; admin only)",
            security = @SecurityRequirement(name = "admin"))
    ProducerSettings update(@RequestBody SettingsUpdate update) {
        return settings.update(update);
    }

    @GetMapping("/shard-estimate")
    @Operation(summary = "Shards a stream needs for a record size, a write rate and a number of consumers")
    ShardEstimate shardEstimate(
            @RequestParam(defaultValue = "128") @Min(1) @Max(1_048_576) int recordSizeBytes,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10_000_000) double recordsPerSecond,
            @RequestParam(defaultValue = "1") @Min(1) @Max(100) int consumers) {
        return ShardEstimator.estimate(recordSizeBytes, recordsPerSecond, consumers);
    }
}
