package com.finledger.integrity.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a declarative folder (ingestion-config/, rules/) to a {@link Path}: a directory on disk
 * when one is configured (dev, tests, mounted config in production), else the copy packaged on the
 * classpath, which may sit inside the jar.
 */
public final class ConfigTree {

    private ConfigTree() {
    }

    public static Path resolve(Optional<String> directory, String classpathFolder) {
        if (directory.isPresent()) {
            Path dir = Path.of(directory.get()).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("configured folder " + dir + " does not exist");
            }
            return dir;
        }
        URL url = Thread.currentThread().getContextClassLoader().getResource(classpathFolder);
        if (url == null) {
            throw new IllegalStateException("folder " + classpathFolder + " is not on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fs.provider().getPath(uri);
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException(new IOException("cannot open " + url, e));
        }
    }
}
