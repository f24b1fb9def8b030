package io.tradeanomaly.archiver.web;

import io.swagger.v3.oas.annotations.Operation;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ArchiverController {

    private final ArchiveStatus status;

    ArchiverController(ArchiveStatus status) {
        this.status = status;
    }

    @GetMapping("/api/archiver/status")
    @Operation(summary = "Buffered records and bytes per shard, objects written, last flush and key, last error")
    ArchiveStatus.Snapshot status() {
        return status.snapshot();
    }
}
