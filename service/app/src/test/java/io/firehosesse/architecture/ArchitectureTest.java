package io.firehosesse.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the code base, kept pointing one way: layers from the wire down to the messages, Axon's internals and
 * tables reached only through the platform, and the wire kept away from aggregates. There are no exceptions today; an
 * exception, if one is ever needed, is named here with its reason.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Spring's ahead-of-time processing generates X__BeanDefinitions classes that wire every layer together;
            // they are the build's output, not code anyone writes (present after a package, absent after a clean).
            .withImportOption(location -> !location.contains("__"))
            .importPackages("io.firehosesse");

    /**
     * Top to bottom; a layer may use only layers below it. The edge (AWS JSON, STS, console) turns requests into calls
     * on the features; the data plane puts records into streams; streams ask encryption for keys, encryption asks the
     * KMS; all of them write the audit trail and know the caller; the read model, the platform and the messages are
     * separate modules beneath the application.
     */
    private static final List<String[]> LAYERS = List.of(
            new String[] {"Edge", "io.firehosesse.awsjson..", "io.firehosesse.sts..", "io.firehosesse.console..",
                    "io.firehosesse.admin..", "io.firehosesse.seed.."},
            new String[] {"DataPlane", "io.firehosesse.dataplane.."},
            new String[] {"DeliveryStreams", "io.firehosesse.deliverystream.."},
            new String[] {"Encryption", "io.firehosesse.encryption.."},
            new String[] {"Kms", "io.firehosesse.kms.."},
            new String[] {"Audit", "io.firehosesse.audit.."},
            new String[] {"Auth", "io.firehosesse.auth.."},
            new String[] {"System", "io.firehosesse.system.."},
            new String[] {"ReadModel", "io.firehosesse.readmodel.."},
            new String[] {"Platform", "io.firehosesse.platform.."},
            new String[] {"Api", "io.firehosesse.api.."});

    /** Axon's programming model, which every feature may use; the rest of Axon is the platform's business. */
    private static final String[] AXON_PROGRAMMING_MODEL = {
            "org.axonframework.commandhandling..", "org.axonframework.modelling.command..", "org.axonframework.eventhandling",
            "org.axonframework.eventsourcing", "org.axonframework.messaging", "org.axonframework.messaging.annotation..",
            "org.axonframework.messaging.correlation..", "org.axonframework.modelling.saga", "org.axonframework.spring.stereotype..",
            "org.axonframework.deadline..", "org.axonframework.queryhandling.."};

    private static final Pattern AXON_TABLE =
            Pattern.compile("\\b(domain_event_entry|snapshot_event_entry|token_entry|saga_entry|association_value_entry|dead_letter_entry)\\b");

    @Test
    void layersDependOnlyDownwards() {
        LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] layer : LAYERS) {
            layers = layers.layer(layer[0]).definedBy(java.util.Arrays.copyOfRange(layer, 1, layer.length));
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(0, i).stream().map(layer -> layer[0]).toArray(String[]::new);
            layers = i == 0 ? layers.whereLayer(LAYERS.get(i)[0]).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(LAYERS.get(i)[0]).mayOnlyBeAccessedByLayers(above);
        }
        layers.check(CLASSES);
    }

    @Test
    void onlyThePlatformUsesAxonBeyondItsProgrammingModel() {
        noClasses().that().resideOutsideOfPackage("io.firehosesse.platform..")
                .should().dependOnClassesThat(resideInAPackage("org.axonframework..")
                        .and(not(resideInAnyPackage(AXON_PROGRAMMING_MODEL)))
                        // Annotations a handler or a message carries, not machinery.
                        .and(not(belongToAnyOf(ProcessingGroup.class, Revision.class))))
                .because("Axon's configuration, stores, caches and serialisers are set up and read in one module, platform")
                .check(CLASSES);
    }

    @Test
    void theWireNeverTouchesAnAggregate() {
        noClasses().that().resideInAnyPackage("io.firehosesse.awsjson..", "io.firehosesse.sts..", "io.firehosesse.console..")
                .should().dependOnClassesThat().areAnnotatedWith(Aggregate.class)
                .because("the edge sends commands and reads views; only Axon loads aggregates")
                .check(CLASSES);
    }

    @Test
    void onlyThePlatformReadsAxonsTables() throws IOException {
        Path root = projectRoot();
        List<Path> sources = List.of(root.resolve("service/app/src/main"), root.resolve("read-model/src/main"),
                root.resolve("service/api/src/main"));
        List<String> offenders;
        try (Stream<Path> files = sources.stream().filter(Files::isDirectory).flatMap(ArchitectureTest::walk)) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> AXON_TABLE.matcher(read(file)).find())
                    .map(file -> root.relativize(file).toString())
                    .toList();
        }
        assertThat(offenders).as("files outside platform/ naming Axon's tables (read them through StoredEvents)").isEmpty();
    }

    /** The checkout's top folder: tests run in service/app, or wherever the build was started. */
    private static Path projectRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("platform/pom.xml")) && root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }

    private static Stream<Path> walk(Path directory) {
        try {
            return Files.walk(directory);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
