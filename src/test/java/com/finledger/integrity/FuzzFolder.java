package com.finledger.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a declarative folder (ingestion-config/, rules/) in a temporary directory, in which a fuzz test
 * replaces one file with its input for one call of a loader and then puts the original back.
 */
public final class FuzzFolder {

    private final Path root;
    private final List<Path> yamlFiles;

    public FuzzFolder(Path source, String prefix) {
        try {
            root = Files.createTempDirectory(prefix);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path from : files.toList()) {
                    Path to = root.resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> files = Files.walk(root)) {
                yamlFiles = files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("/models/")
                        && !p.toString().contains("/profiles/")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        root.toFile().deleteOnExit();
    }

    public Path root() {
        return root;
    }

    /** The YAML files of the copy, in a stable order (a fuzz input's first byte picks one). */
    public List<Path> yamlFiles() {
        return yamlFiles;
    }

    /** Writes {@code content} over {@code file} for the duration of {@code use}, then restores it. */
    public void with(Path file, byte[] content, FuzzProperty.Parse use) throws Exception {
        byte[] original = Files.readAllBytes(file);
        Files.write(file, content);
        try {
            use.run();
        } finally {
            Files.write(file, original);
        }
    }
}
