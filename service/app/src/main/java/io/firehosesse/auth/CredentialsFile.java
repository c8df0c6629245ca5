package io.firehosesse.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The credentials file ({@code firehose.auth.credentials-file}):
 * <pre>
 * credentials:
 *   - accessKeyId: AKIAALICE0000000001
 *     secretAccessKey: ...
 *     accountId: "111111111111"
 *     principalArn: arn:aws:iam::111111111111:user/alice
 *     admin: true                     # may call /api/admin/** and read every account's audit records
 *   - accessKeyId: ASIA...            # temporary credentials also name their token and times
 *     sessionToken: ...
 *     issuedAt: 2026-11-27T06:00:00Z
 *     expiresAt: 2026-11-28T06:00:00Z
 * roles:                              # roles STS AssumeRole may hand out
 *   - arn: arn:aws:iam::111111111111:role/deployer
 * </pre>
 */
public record CredentialsFile(Map<String, Credential> credentials, List<String> roleArns) {

    public static CredentialsFile load(Path path) {
        try (Reader reader = Files.newBufferedReader(path)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return parse(document instanceof Map<?, ?> map ? map : Map.of(), path.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the credentials file " + path + ": " + e.getMessage(), e);
        }
    }

    static CredentialsFile parse(Map<?, ?> document, String source) {
        Map<String, Credential> credentials = new LinkedHashMap<>();
        for (Object entry : list(document.get("credentials"))) {
            Map<?, ?> fields = entry instanceof Map<?, ?> map ? map : Map.of();
            Credential credential = new Credential(required(fields, "accessKeyId", source),
                    required(fields, "secretAccessKey", source), required(fields, "accountId", source),
                    required(fields, "principalArn", source), text(fields.get("sessionToken")),
                    instant(fields.get("issuedAt"), source), instant(fields.get("expiresAt"), source),
                    flag(fields.get("admin"), "admin", source));
            if (!credential.accountId().matches("\\d{12}")) {
                throw new IllegalStateException(source + ": accountId of " + credential.accessKeyId() + " must be 12 digits");
            }
            if (credentials.put(credential.accessKeyId(), credential) != null) {
                throw new IllegalStateException(source + ": accessKeyId " + credential.accessKeyId() + " is listed twice");
            }
        }
        List<String> roles = new ArrayList<>();
        for (Object entry : list(document.get("roles"))) {
            Map<?, ?> fields = entry instanceof Map<?, ?> map ? map : Map.of();
            roles.add(required(fields, "arn", source));
        }
        return new CredentialsFile(Map.copyOf(credentials), List.copyOf(roles));
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static String required(Map<?, ?> fields, String name, String source) {
        String value = text(fields.get(name));
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(source + ": every entry needs " + name);
        }
        return value;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static boolean flag(Object value, String name, String source) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        // A quoted "true" is a typo waiting to be misread; only YAML's own booleans are taken.
        throw new IllegalStateException(source + ": " + name + " must be true or false, not " + value);
    }

    private static Instant instant(Object value, String source) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant(); // YAML reads unquoted timestamps as dates
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (RuntimeException e) {
            throw new IllegalStateException(source + ": " + value + " is not an ISO-8601 instant", e);
        }
    }
}
