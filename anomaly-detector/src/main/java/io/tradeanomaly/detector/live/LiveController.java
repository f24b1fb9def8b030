package io.tradeanomaly.detector.live;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** What the live anomaly page ({@code GET /}) polls, and its way to the producer's settings. */
@RestController
class LiveController {

    private final LiveStats stats;
    private final PipelineHealth health;
    private final ProducerSettingsProxy producer;

    LiveController(LiveStats stats, PipelineHealth health, ProducerSettingsProxy producer) {
        this.stats = stats;
        this.health = health;
        this.producer = producer;
    }

    @GetMapping("/api/live")
    @Operation(
            summary = "Live figures: trades scored per second, anomalies per minute, threshold, lag, quality, and the"
                    + " producer's and archiver's figures (null where a service does not answer)")
    LiveFigures figures() {
        return stats.figures(health.figures());
    }

    @GetMapping("/api/live/history")
    @Operation(
            summary = "The last 10 minutes per 5 s: trades produced and scored per second, anomalies published and"
                    + " archived per minute, consumer lags, threshold, ordinary scores, and every anomaly as a point")
    HealthSeries history() {
        return health.series();
    }

    @GetMapping("/api/live/producer-settings")
    @Operation(summary = "The producer's settings, through the detector (its URL is detector.producer-url)")
    ResponseEntity<?> producerSettings() {
        return producer.get();
    }

    @PutMapping("/api/live/producer-settings")
    @Operation(
            summary =
                    "Change the producer's settings through the detector (admin only; forwarded with the credentials)",
            security = @SecurityRequirement(name = "admin"))
    ResponseEntity<?> updateProducerSettings(
            @RequestBody String body, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return producer.put(body, authorization);
    }
}
