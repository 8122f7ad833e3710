package com.finledger.integrity.rules;

import com.finledger.integrity.platform.Sha256;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.ConfigTree;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The active rule set. A reload that finds any problem keeps the previous valid set active and
 * reports the problems; every accepted set is stored, so a restart on a broken rules/ folder still
 * runs the last good rules.
 */
@ApplicationScoped
public class RuleService {

    private static final Logger LOG = Logger.getLogger(RuleService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.rules.dir")
    Optional<String> directory;

    private volatile List<Rule> active = List.of();
    private volatile String activeHash = "";
    private volatile List<String> lastErrors = List.of();

    public record ReloadResult(boolean accepted, int rules, String contentHash, List<String> errors) {
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        ReloadResult result = reload("system:startup");
        if (!result.accepted()) {
            restoreLastStored();
        }
    }

    /** Reads rules/ again; only a set without problems replaces the active one. */
    public synchronized ReloadResult reload(String actor) {
        Path dir = ConfigTree.resolve(directory, "rules");
        Map<String, String> files = read(dir);
        String hash = hash(files);
        RuleSetLoader.Result result = RuleSetLoader.load(dir, catalogService.catalog());
        if (!result.errors().isEmpty()) {
            lastErrors = result.errors();
            LOG.errorf("rule set rejected, the previous one stays active:%n  %s", String.join("\n  ", result.errors()));
            return new ReloadResult(false, active.size(), activeHash, result.errors());
        }
        lastErrors = List.of();
        if (!hash.equals(activeHash)) {
            store(files, hash, actor, result.rules().size());
        }
        active = result.rules();
        activeHash = hash;
        return new ReloadResult(true, active.size(), hash, List.of());
    }

    /** Points reloads at another folder (tests, or an operator mounting a new rules volume). */
    synchronized void useDirectory(Optional<String> folder) {
        directory = folder;
    }

    Optional<String> directory() {
        return directory;
    }

    public List<Rule> rules() {
        return active;
    }

    public List<Rule> rulesFor(String dataset) {
        return active.stream().filter(r -> r.dataset().equals(dataset)).toList();
    }

    public List<String> lastErrors() {
        return lastErrors;
    }

    public String activeHash() {
        return activeHash;
    }

    private void store(Map<String, String> files, String hash, String actor, int ruleCount) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into rule_set (loaded_at, content_hash, files) values (?, ?, ?::jsonb)
                    on conflict (content_hash) do nothing""")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, hash);
                ps.setString(3, JSON.writeValueAsString(files));
                if (ps.executeUpdate() == 1) {
                    auditLog.append(c, actor, "rules.activated", "rule_set", hash, null,
                            Map.of("rules", ruleCount, "files", files.keySet()));
                }
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot store the rule set: " + e.getMessage(), e);
        }
    }

    private void restoreLastStored() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select content_hash, files::text from rule_set order by id desc limit 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("rules/ has problems and no earlier valid rule set exists:\n  "
                        + String.join("\n  ", lastErrors));
            }
            Map<String, String> files = JSON.readValue(rs.getString(2), new TypeReference<TreeMap<String, String>>() {
            });
            Path tmp = Files.createTempDirectory("finledger-rules");
            for (var file : files.entrySet()) {
                Files.writeString(tmp.resolve(file.getKey()), file.getValue());
            }
            RuleSetLoader.Result restored = RuleSetLoader.load(tmp, catalogService.catalog());
            if (!restored.errors().isEmpty()) {
                throw new IllegalStateException("the stored rule set no longer fits the catalog:\n  "
                        + String.join("\n  ", restored.errors()));
            }
            active = restored.rules();
            activeHash = rs.getString(1);
            LOG.warnf("running the last valid rule set %s (%d rules) until rules/ is fixed", activeHash, active.size());
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot restore the last rule set: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String hash(Map<String, String> files) {
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
