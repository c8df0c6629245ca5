package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's launcher ({@code src/main/dist/firehose-sse}) decides the JVM's options: the class-data-sharing archive
 * always, the ahead-of-time processed configuration unless a setting changes the set of components it was made from,
 * C1 and the serial collector unless {@code JAVA_OPTS} is set. Run here with a stand-in {@code java} that prints the
 * arguments it was given, so no service starts. (EmbeddedDatabaseIT starts the real one.)
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("src/main/dist/firehose-sse");
    private static final String AOT = "-Dspring.aot.enabled=true";

    @TempDir
    Path javaHome;

    @BeforeEach
    void standInJava() throws IOException {
        Path java = javaHome.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void byDefaultTheArchiveTheAotConfigurationC1AndTheSerialCollector() throws Exception {
        List<String> args = launch(Map.of(), "--server.port=9000");

        assertThat(args.get(0)).startsWith("-XX:SharedArchiveFile=").endsWith("firehose-sse.jsa");
        assertThat(args).contains(AOT, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(args.subList(args.size() - 3, args.size())).first().isEqualTo("-jar");
        assertThat(args.get(args.size() - 1)).isEqualTo("--server.port=9000");
    }

    @Test
    void javaOptsReplaceTheJitAndCollectorChoicesButNotTheArchiveOrAot() throws Exception {
        assertThat(launch(Map.of("JAVA_OPTS", "-Xmx1g"))).contains(AOT, "-Xmx1g")
                .doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(launch(Map.of("JAVA_OPTS", ""))).contains(AOT).doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void settingsThatChangeTheComponentsStartWithoutTheAotConfiguration() throws Exception {
        assertThat(launch(Map.of(), "--spring.profiles.active=scale-out")).doesNotContain(AOT);
        assertThat(launch(Map.of(), "--axon.axonserver.enabled=true")).doesNotContain(AOT);
        assertThat(launch(Map.of("SPRING_PROFILES_ACTIVE", "scale-out"))).doesNotContain(AOT);
        assertThat(launch(Map.of("AXON_AXONSERVER_ENABLED", "true"))).doesNotContain(AOT);
        assertThat(launch(Map.of("JAVA_OPTS", "-Daxon.axonserver.enabled=true"))).doesNotContain(AOT);
        assertThat(launch(Map.of("FIREHOSE_AOT", "false"))).doesNotContain(AOT);

        assertThat(launch(Map.of(), "--axon.axonserver.enabled=false")).contains(AOT);
        assertThat(launch(Map.of(), "--spring.datasource.url=jdbc:postgresql://localhost:5432/firehose")).contains(AOT);
    }

    private List<String> launch(Map<String, String> environment, String... settings) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("JAVA_OPTS", "FIREHOSE_AOT", "SPRING_PROFILES_ACTIVE",
                "AXON_AXONSERVER_ENABLED"));
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return new String(process.getInputStream().readAllBytes()).lines().toList();
    }
}
