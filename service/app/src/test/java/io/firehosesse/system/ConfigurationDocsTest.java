package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md and the settings the service reads in step. The configuration processor writes
 * {@code META-INF/spring-configuration-metadata.json} for the {@code @ConfigurationProperties} records and merges
 * {@code META-INF/additional-spring-configuration-metadata.json} (the settings read with {@code @Value} or from the
 * environment) into it. Every {@code firehose.*} property listed there must have a row in the doc's table, every
 * {@code firehose.*} row must name a property that exists, and a row's default must be the one the metadata gives.
 */
class ConfigurationDocsTest {

    private static final Pattern PROPERTY = Pattern.compile("`(firehose\\.[a-z0-9.-]+)`");

    private static Map<String, JsonNode> metadata;
    private static Map<String, String> documented;

    @BeforeAll
    static void read() throws IOException {
        metadata = metadata();
        documented = documentedDefaults(Files.readAllLines(repositoryRoot().resolve("docs/configuration.md")));
    }

    @Test
    void theMetadataHoldsTheRecordsAndTheAdditionalFile() {
        // From a record (FirehoseProperties), and from the additional file (read with @Value / from the environment).
        assertThat(metadata).containsKeys("firehose.account-id", "firehose.kms.master-key-file",
                "firehose.data-dir", "firehose.snapshot-threshold", "firehose.data-plane.max-concurrent-puts");
    }

    @Test
    void everyPropertyTheServiceReadsIsDocumented() {
        assertThat(documented.keySet())
                .as("firehose.* properties in the configuration metadata without a row in docs/configuration.md")
                .containsAll(metadata.keySet());
    }

    @Test
    void everyDocumentedPropertyExists() {
        assertThat(metadata.keySet())
                .as("firehose.* rows in docs/configuration.md that name no property in the configuration metadata")
                .containsAll(documented.keySet());
    }

    @Test
    void everyDocumentedDefaultIsTheServicesDefault() {
        List<String> wrong = new ArrayList<>();
        metadata.forEach((name, property) -> {
            JsonNode value = property.get("defaultValue");
            String cell = documented.get(name);
            if (value == null || value.isNull() || cell == null) {
                return;
            }
            String expected = value.asText().isEmpty() ? "empty" : "`" + value.asText() + "`";
            if (!cell.contains(expected)) {
                wrong.add(name + ": the doc says " + cell + ", the service " + expected);
            }
        });
        assertThat(wrong).as("defaults in docs/configuration.md that differ from the service's").isEmpty();
    }

    /** Every firehose.* property in every configuration metadata file on the class path, by name. */
    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> properties = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(ConfigurationDocsTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    if (name.startsWith("firehose.")) {
                        properties.put(name, property);
                    }
                }
            }
        }
        return properties;
    }

    /**
     * The properties named in the first column of the doc's settings tables (those headed {@code | property | default
     * | ...}), one a row, each with its default column. Prose and other tables may name properties freely.
     */
    static Map<String, String> documentedDefaults(List<String> lines) {
        Map<String, String> rows = new TreeMap<>();
        TreeSet<String> twice = new TreeSet<>();
        boolean settingsTable = false;
        boolean inTable = false;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|", -1);
            if (!inTable) {
                inTable = true;
                settingsTable = cells.length > 2 && cells[1].trim().equals("property") && cells[2].trim().equals("default");
                continue;
            }
            if (!settingsTable || cells.length < 3) {
                continue;
            }
            Matcher matcher = PROPERTY.matcher(cells[1]);
            while (matcher.find()) {
                if (rows.put(matcher.group(1), cells[2].trim()) != null) {
                    twice.add(matcher.group(1));
                }
            }
        }
        assertThat(twice).as("properties with more than one row in docs/configuration.md").isEmpty();
        return rows;
    }

    /** The repository's root: the first folder up from the working directory that holds platform/pom.xml. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("platform/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No folder holding platform/pom.xml above " + Path.of("").toAbsolutePath());
    }
}
