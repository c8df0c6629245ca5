package io.firehosesse.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Caller;
import io.firehosesse.awsjson.AwsCalls;
import io.firehosesse.awsjson.AwsErrorException;
import io.firehosesse.platform.PlatformProperties;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Makes the keys and streams of {@code firehose.init.file} at start-up, through the same calls a client would send
 * (checked against the AWS model, audited), so a test suite or a laptop starts with what it needs. Each entry is an
 * AWS request as {@code --cli-input-json} takes it: a key is a CreateKey request with an {@code Alias}, a stream a
 * CreateDeliveryStream request, whose {@code KeyARN} may name a key of the file by its alias. Entries that exist
 * already (a key by its alias, a stream by its name) are left as they are, so a restart changes nothing. A bad entry
 * stops start-up with a message naming it.
 */
@Component
class SeedFile implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SeedFile.class);
    private static final Set<String> SECTIONS = Set.of("keys", "streams");
    private static final Set<String> ABSENT = Set.of("NotFoundException", "ResourceNotFoundException");

    private final SeedProperties properties;
    private final PlatformProperties firehose;
    private final AwsCalls calls;
    private final CallAudit audit;
    private final ObjectMapper json = new ObjectMapper();

    SeedFile(SeedProperties properties, PlatformProperties firehose, AwsCalls calls, CallAudit audit) {
        this.properties = properties;
        this.firehose = firehose;
        this.calls = calls;
        this.audit = audit;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (properties.file().isBlank()) {
            return;
        }
        Path file = Path.of(properties.file());
        JsonNode seed = read(file);
        Map<String, String> keyArns = new HashMap<>();
        int keys = 0;
        int streams = 0;
        JsonNode keyEntries = seed.path("keys");
        for (int i = 0; i < keyEntries.size(); i++) {
            String entry = "keys[" + i + "]";
            JsonNode key = object(file, entry, keyEntries.get(i));
            String alias = key.path("Alias").asText("");
            if (!alias.startsWith("alias/")) {
                throw bad(file, entry, "needs an Alias such as alias/orders: it names the key here and in KMS");
            }
            entry += " (" + alias + ")";
            String made = existingKey(file, entry, alias).orElse(null);
            if (made == null) {
                ObjectNode request = ((ObjectNode) key.deepCopy());
                request.remove("Alias");
                made = call(file, entry, "TrentService.CreateKey", request).path("KeyMetadata").path("Arn").asText();
                call(file, entry, "TrentService.CreateAlias", json.createObjectNode().put("AliasName", alias)
                        .put("TargetKeyId", made));
                keys++;
            }
            keyArns.put(alias, made);
        }
        JsonNode streamEntries = seed.path("streams");
        for (int i = 0; i < streamEntries.size(); i++) {
            String entry = "streams[" + i + "]";
            ObjectNode stream = object(file, entry, streamEntries.get(i)).deepCopy();
            String name = stream.path("DeliveryStreamName").asText("");
            entry += name.isEmpty() ? "" : " (" + name + ")";
            JsonNode encryption = stream.path("DeliveryStreamEncryptionConfigurationInput");
            String keyArn = encryption.path("KeyARN").asText("");
            if (keyArn.startsWith("alias/")) {
                if (!keyArns.containsKey(keyArn)) {
                    throw bad(file, entry, "KeyARN " + keyArn + " is not a key of this file");
                }
                ((ObjectNode) encryption).put("KeyARN", keyArns.get(keyArn));
            }
            if (!exists(file, entry, "Firehose_20150804.DescribeDeliveryStream",
                    json.createObjectNode().put("DeliveryStreamName", name))) {
                call(file, entry, "Firehose_20150804.CreateDeliveryStream", stream);
                streams++;
            }
        }
        log.info("Seed file {}: {} keys and {} streams made, the others were there already", file, keys, streams);
    }

    private JsonNode read(Path file) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | RuntimeException e) {
            throw new SeedFileException("Seed file " + file + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode seed = document == null ? json.createObjectNode() : json.valueToTree(document);
        if (!seed.isObject()) {
            throw new SeedFileException("Seed file " + file + " must be a map with keys: and streams: lists", null);
        }
        seed.fieldNames().forEachRemaining(section -> {
            if (!SECTIONS.contains(section)) {
                throw new SeedFileException("Seed file " + file + ": unknown section '" + section + "' (keys, streams)", null);
            }
            if (!seed.get(section).isArray()) {
                throw new SeedFileException("Seed file " + file + ": " + section + " must be a list", null);
            }
        });
        return seed;
    }

    private JsonNode object(Path file, String entry, JsonNode node) {
        if (!node.isObject()) {
            throw bad(file, entry, "must be a map of request members");
        }
        return node;
    }

    private Optional<String> existingKey(Path file, String entry, String alias) {
        try {
            return Optional.of(call(file, entry, "TrentService.DescribeKey", json.createObjectNode().put("KeyId", alias), true)
                    .path("KeyMetadata").path("Arn").asText());
        } catch (Absent absent) {
            return Optional.empty();
        }
    }

    private boolean exists(Path file, String entry, String target, JsonNode request) {
        try {
            call(file, entry, target, request, true);
            return true;
        } catch (Absent absent) {
            return false;
        }
    }

    private JsonNode call(Path file, String entry, String target, JsonNode request) {
        return call(file, entry, target, request, false);
    }

    private JsonNode call(Path file, String entry, String target, JsonNode request, boolean lookUp) {
        try {
            return calls.callAsService(target, request, seeder(), audit);
        } catch (AwsErrorException error) {
            if (lookUp && ABSENT.contains(error.type())) {
                throw new Absent();
            }
            throw bad(file, entry, target.substring(target.indexOf('.') + 1) + " refused it: " + error.type() + ": "
                    + error.getMessage());
        }
    }

    /** The seed's calls in the audit trail: the service itself, in the configured account and region. */
    private Caller seeder() {
        return new Caller(UUID.randomUUID().toString(), firehose.accountId(), firehose.defaultRegion(), null, null,
                "127.0.0.1", "firehose-sse/seed-file", new Caller.Identity("AWSService", null, null, false));
    }

    private static SeedFileException bad(Path file, String entry, String why) {
        return new SeedFileException("Seed file " + file + ": " + entry + " " + why, null);
    }

    /** A look-up found nothing. */
    private static final class Absent extends RuntimeException {
        Absent() {
            super(null, null, false, false);
        }
    }

    /** Start-up stops with this; its message names the file and the entry. */
    static final class SeedFileException extends RuntimeException {
        SeedFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
