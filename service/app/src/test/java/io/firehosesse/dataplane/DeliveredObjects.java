package io.firehosesse.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The objects the folder store holds for a bucket, as the delivery tests look for them. */
final class DeliveredObjects {

    private DeliveredObjects() {
    }

    /** Every complete object under {@code <directory>/<bucket>}; one still being written ({@code .partial}) is not. */
    static List<Path> in(Path directory, String bucket) {
        Path root = directory.resolve(bucket);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".partial")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
