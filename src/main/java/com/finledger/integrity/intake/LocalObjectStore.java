package com.finledger.integrity.intake;

import com.finledger.integrity.platform.Sha256;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The object store on the local file system: {@code objects/<key>/<versionId>} holds each version's
 * bytes, {@code objects/<key>/latest.json} describes the latest. Writes go to a temporary file
 * and are moved into place, so a crash never leaves a half-written object visible.
 */
public class LocalObjectStore implements ObjectStore {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String LATEST = "latest.json";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve("objects"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized StoredObject put(String key, byte[] content, Instant arrivedAt, Map<String, String> metadata) {
        Path dir = objectDir(key);
        String sha = Sha256.hex(content);
        Optional<StoredObject> existing = head(key);
        if (existing.isPresent() && existing.get().sha256().equals(sha)) {
            return existing.get();
        }
        // Version ids sort by arrival like S3's do not, but they are unique and stable per content.
        String versionId = String.format("%019d-%s", arrivedAt.toEpochMilli(), sha.substring(0, 16));
        StoredObject object = new StoredObject(key, versionId, content.length, sha, arrivedAt,
                Map.copyOf(new LinkedHashMap<>(metadata)));
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(versionId), content);
            writeAtomically(dir.resolve(LATEST), JSON.writeValueAsBytes(toJson(object)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write object " + key, e);
        }
        return object;
    }

    @Override
    public Optional<StoredObject> head(String key) {
        Path latest = objectDir(key).resolve(LATEST);
        if (!Files.exists(latest)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSON.readValue(latest.toFile(), new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, String> metadata = (Map<String, String>) json.get("metadata");
            return Optional.of(new StoredObject((String) json.get("key"), (String) json.get("versionId"),
                    ((Number) json.get("size")).longValue(), (String) json.get("sha256"),
                    Instant.parse((String) json.get("arrivedAt")), metadata));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read object metadata of " + key, e);
        }
    }

    @Override
    public InputStream open(StoredObject object) {
        try {
            return Files.newInputStream(objectDir(object.key()).resolve(object.versionId()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + object.key() + " version " + object.versionId(), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        Path objects = root.resolve("objects");
        List<StoredObject> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(objects)) {
            files.filter(p -> p.getFileName().toString().equals(LATEST))
                    .map(p -> objects.relativize(p.getParent()).toString().replace('\\', '/'))
                    .filter(key -> key.startsWith(prefix))
                    .sorted()
                    .forEach(key -> head(key).ifPresent(found::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Override
    public synchronized int deleteAll(String prefix) {
        requirePrefix(prefix);
        Path objects = root.resolve("objects");
        int deleted = 0;
        try (Stream<Path> paths = Files.walk(objects)) {
            // deepest first, so a folder is visited after its files and removed once it is empty
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(objects)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    try (Stream<Path> left = Files.list(p)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                } else if (objects.relativize(p.getParent()).toString().replace('\\', '/').startsWith(prefix)) {
                    if (!p.getFileName().toString().equals(LATEST) && !p.getFileName().toString().endsWith(".tmp")) {
                        deleted++;
                    }
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete objects under " + prefix, e);
        }
        return deleted;
    }

    static void requirePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("deleting needs a prefix; a blank one would empty the whole store");
        }
    }

    private Path objectDir(String key) {
        if (key.isBlank() || key.startsWith("/") || key.contains("..") || key.endsWith("/")) {
            throw new IllegalArgumentException("invalid object key: " + key);
        }
        return root.resolve("objects").resolve(key);
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> toJson(StoredObject o) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", o.key());
        json.put("versionId", o.versionId());
        json.put("size", o.size());
        json.put("sha256", o.sha256());
        json.put("arrivedAt", o.arrivedAt().toString());
        json.put("metadata", o.metadata());
        return json;
    }
}
