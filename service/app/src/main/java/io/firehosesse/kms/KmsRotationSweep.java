package io.firehosesse.kms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs automatic key rotation. Periods are counted in days, so looking once an hour is soon enough; tests do not
 * wait for it but move the clock and call {@link EmbeddedKms#rotateDueKeys()} themselves.
 */
@Component
class KmsRotationSweep {

    private static final Logger log = LoggerFactory.getLogger(KmsRotationSweep.class);
    private static final long INTERVAL_MS = 60 * 60 * 1000L;

    private final EmbeddedKms kms;

    KmsRotationSweep(EmbeddedKms kms) {
        this.kms = kms;
    }

    @Scheduled(fixedDelay = INTERVAL_MS, initialDelay = INTERVAL_MS)
    void sweep() {
        try {
            int rotated = kms.rotateDueKeys();
            if (rotated > 0) {
                log.info("Rotated {} KMS keys whose automatic rotation was due", rotated);
            }
            // Imported material past its ValidTo is deleted here too (and, for keys in use, when next looked up).
            kms.pruneUsage();
            int expired = kms.expireImportedMaterial();
            if (expired > 0) {
                log.info("Deleted the imported key material of {} KMS keys whose ValidTo had passed", expired);
            }
        } catch (DataAccessException e) {
            // Nothing is lost: the keys stay due and the next sweep rotates them.
            log.warn("Rotating due KMS keys failed; next try in an hour: {}", e.toString());
        }
    }
}
