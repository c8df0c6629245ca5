package io.firehosesse.api.deliverystream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A destination as the caller configured it. The settings are kept as given (a JSON document already
 * checked against the AWS model at the edge, with the model's member names): the domain routes no records to
 * most types yet, so it has no reason to interpret them, and keeping them whole means Describe returns exactly
 * what was sent, less what the model's description leaves out.
 */
public record Destination(String destinationId, DestinationKind kind, Map<String, Object> settings) {

    /** The member every destination but S3's holds its S3 configuration in (the intermediate or backup bucket). */
    public static final String S3_CONFIGURATION = "S3Configuration";

    /**
     * The configuration members that hold secrets (the model leaves each out of its description shape): never shown
     * by Describe, the REST API or the audit trail, though kept in the events for the delivery that will need them.
     */
    public static final Set<String> SECRET_MEMBERS = Set.of("Password", "AccessKey", "PrivateKey", "KeyPassphrase");

    /** What a secret's value is shown as, CloudTrail's words. */
    public static final String HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

    public Destination {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /**
     * The S3 configuration records are written to: the destination itself for S3, its {@code S3Configuration}
     * for every other type (Redshift's intermediate bucket, the others' backup bucket).
     */
    public Map<String, Object> s3Settings() {
        if (kind.s3()) {
            return settings;
        }
        return settings.get(S3_CONFIGURATION) instanceof Map<?, ?> s3 ? document(s3) : Map.of();
    }

    /**
     * This destination after an UpdateDestination of {@code updateKind} (its members already named as in the
     * configuration shape): of the same type, the given members merged into the configuration, structures member by
     * member and anything else replaced; of another type, replaced whole (AWS: "does not merge any parameters").
     */
    public Destination updatedWith(DestinationKind updateKind, Map<String, Object> update) {
        if (!kind.sameTypeAs(updateKind)) {
            return new Destination(destinationId, updateKind, update);
        }
        // Updating an S3 destination with the extended form makes it an Extended S3 one, never the other way round.
        DestinationKind merged = kind == DestinationKind.EXTENDED_S3 ? kind : updateKind;
        return new Destination(destinationId, merged, merge(settings, update));
    }

    /** This destination with every secret member's value hidden, at any depth. */
    public Destination withoutSecrets() {
        return new Destination(destinationId, kind, hideSecrets(settings));
    }

    private static Map<String, Object> hideSecrets(Map<String, Object> document) {
        Map<String, Object> shown = new LinkedHashMap<>();
        document.forEach((member, value) -> shown.put(member, SECRET_MEMBERS.contains(member) ? HIDDEN
                : value instanceof Map<?, ?> nested ? hideSecrets(document(nested)) : value));
        return shown;
    }

    static Map<String, Object> merge(Map<String, Object> current, Map<String, Object> update) {
        Map<String, Object> merged = new LinkedHashMap<>(current);
        update.forEach((member, value) -> {
            if (value instanceof Map<?, ?> given && merged.get(member) instanceof Map<?, ?> existing) {
                merged.put(member, merge(document(existing), document(given)));
            } else {
                // Anything else, lists included, is replaced as given.
                merged.put(member, value);
            }
        });
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
