package io.firehosesse.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param resetEnabled whether {@code POST /api/admin/reset} may empty the service; unset: only in open mode (no
 *                     credentials file), where the service is a developer's or a test suite's own
 */
@ConfigurationProperties("firehose.admin")
public record AdminProperties(Boolean resetEnabled) {
}
