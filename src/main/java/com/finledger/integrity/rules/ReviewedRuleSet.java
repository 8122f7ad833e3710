package com.finledger.integrity.rules;

import com.finledger.integrity.platform.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The last valid reviewed rule set of one kind (data-quality rules, match rules): a reload that finds any
 * problem keeps the active set and reports the problems as {@code file:line}; every accepted set is stored
 * ({@link RuleSetStore}), so a start on a broken folder runs the last valid set until the folder is fixed.
 */
public final class ReviewedRuleSet<R> {

    private static final Logger LOG = Logger.getLogger(ReviewedRuleSet.class);

    /** What a loader made of a folder: the rules, or the problems that refuse the whole set. */
    public record Loaded<R>(List<R> rules, List<String> errors) {
    }

    public record ReloadResult(boolean accepted, int rules, String contentHash, List<String> errors) {
    }

    private final RuleSetStore.Kind kind;
    private final Function<Path, Loaded<R>> loader;
    private final RuleSetStore store;

    private volatile List<R> active = List.of();
    private volatile String activeHash = "";
    private volatile List<String> lastErrors = List.of();

    public ReviewedRuleSet(RuleSetStore.Kind kind, Function<Path, Loaded<R>> loader, RuleSetStore store) {
        this.kind = kind;
        this.loader = loader;
        this.store = store;
    }

    /**
     * At start-up, with nothing active yet: the folder's set if it is valid, otherwise the last stored
     * valid set (and the refusal stays in {@link #lastErrors()}); with neither, the application cannot start.
     */
    public synchronized ReloadResult start(Path dir, String actor) {
        active = List.of();
        activeHash = "";
        ReloadResult result = reload(dir, actor);
        if (result.accepted()) {
            return result;
        }
        RuleSetStore.Stored stored = store.latest(kind).orElseThrow(() -> new IllegalStateException(
                kind.folder() + " has problems and no earlier valid set exists:\n  " + String.join("\n  ", lastErrors)));
        Loaded<R> restored = loadFiles(stored.files());
        if (!restored.errors().isEmpty()) {
            throw new IllegalStateException("the stored " + kind.folder() + " set " + stored.contentHash()
                    + " no longer fits the catalog:\n  " + String.join("\n  ", restored.errors()));
        }
        active = List.copyOf(restored.rules());
        activeHash = stored.contentHash();
        LOG.warnf("running the last valid %s set %s (%d rules) until %s is fixed", kind.folder(), activeHash,
                active.size(), kind.folder());
        return new ReloadResult(false, active.size(), activeHash, lastErrors);
    }

    /** Reads the folder again; only a set without problems replaces the active one (and is stored). */
    public synchronized ReloadResult reload(Path dir, String actor) {
        Map<String, String> files = read(dir);
        Loaded<R> result = loader.apply(dir);
        if (!result.errors().isEmpty()) {
            lastErrors = List.copyOf(result.errors());
            LOG.errorf("%s set rejected, the previous one stays active:%n  %s", kind.folder(),
                    String.join("\n  ", result.errors()));
            return new ReloadResult(false, active.size(), activeHash, lastErrors);
        }
        String hash = hash(files);
        lastErrors = List.of();
        if (!hash.equals(activeHash)) {
            store.activate(kind, files, hash, actor, result.rules().size());
        }
        active = List.copyOf(result.rules());
        activeHash = hash;
        return new ReloadResult(true, active.size(), hash, List.of());
    }

    public List<R> rules() {
        return active;
    }

    public String activeHash() {
        return activeHash;
    }

    public List<String> lastErrors() {
        return lastErrors;
    }

    private Loaded<R> loadFiles(Map<String, String> files) {
        try {
            Path tmp = Files.createTempDirectory("finledger-" + kind.name().toLowerCase(java.util.Locale.ROOT));
            for (var file : files.entrySet()) {
                Files.writeString(tmp.resolve(file.getKey()), file.getValue());
            }
            return loader.apply(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> read(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String hash(Map<String, String> files) {
        MessageDigest sha = Sha256.digest();
        files.forEach((name, content) -> {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(content.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        });
        return Sha256.hex(sha);
    }
}
