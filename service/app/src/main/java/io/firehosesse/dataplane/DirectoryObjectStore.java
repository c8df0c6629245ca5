package io.firehosesse.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Objects as files under {@code <directory>/<bucket>/<key>}, written aside and moved into place whole. */
class DirectoryObjectStore implements ObjectStore {

    private final Path directory;

    DirectoryObjectStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public void put(String bucket, String key, byte[] content) {
        Path target = file(bucket, key);
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.write(partial, content);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    @Override
    public String url(String bucket, String key) {
        return file(bucket, key).toUri().toString();
    }

    private Path file(String bucket, String key) {
        Path target = directory.resolve(bucket).resolve(key).normalize();
        // Prefixes come from users: "../" in one must not write outside the delivery directory.
        if (!target.startsWith(directory.resolve(bucket))) {
            throw new IllegalStateException("Object key " + key + " leaves the bucket's directory");
        }
        return target;
    }
}
