package io.firehosesse.seed;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param file a YAML seed file of keys and streams made at start-up (docs/seed-file.md); empty: none */
@ConfigurationProperties("firehose.init")
public record SeedProperties(@DefaultValue("") String file) {
}
