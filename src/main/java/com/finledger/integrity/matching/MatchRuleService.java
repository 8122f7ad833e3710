package com.finledger.integrity.matching;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.ConfigTree;
import com.finledger.integrity.platform.Sha256;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The active match rules ({@code rules/matching/}). A reload that finds any problem keeps the previous
 * valid set and reports the problems as {@code file:line}; an accepted change is audited with the set's hash.
 */
@ApplicationScoped
public class MatchRuleService {

    private static final Logger LOG = Logger.getLogger(MatchRuleService.class);

    @Inject
    CatalogService catalogService;

    @Inject
    AuditLog auditLog;

    @ConfigProperty(name = "finledger.rules.dir")
    Optional<String> directory;

    private volatile List<MatchRule> active = List.of();
    private volatile String activeHash = "";
    private volatile List<String> lastErrors = List.of();

    public record ReloadResult(boolean accepted, int rules, String contentHash, List<String> errors) {
    }

    void onStart(@Observes @Priority(25) StartupEvent event) {
        reload("system:startup");
    }

    public synchronized ReloadResult reload(String actor) {
        Path dir = ConfigTree.resolve(directory, "rules").resolve("matching");
        return reload(dir, actor);
    }

    /** Reads a match rules folder; only a set without problems replaces the active one. */
    public synchronized ReloadResult reload(Path dir, String actor) {
        MatchRuleLoader.Result result = MatchRuleLoader.load(dir, catalogService.catalog());
        if (!result.errors().isEmpty()) {
            lastErrors = result.errors();
            LOG.errorf("match rules rejected, the previous set stays active:%n  %s", String.join("\n  ", result.errors()));
            return new ReloadResult(false, active.size(), activeHash, result.errors());
        }
        String hash = hash(dir);
        lastErrors = List.of();
        if (!hash.equals(activeHash)) {
            auditLog.append(actor, "match_rules.activated", "match_rule_set", hash, null,
                    Map.of("rules", result.rules().stream().map(MatchRule::name).toList()));
        }
        active = result.rules();
        activeHash = hash;
        return new ReloadResult(true, active.size(), hash, List.of());
    }

    public List<MatchRule> rules() {
        return active;
    }

    public Optional<MatchRule> rule(String name) {
        return active.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public String activeHash() {
        return activeHash;
    }

    public List<String> lastErrors() {
        return lastErrors;
    }

    private static String hash(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
