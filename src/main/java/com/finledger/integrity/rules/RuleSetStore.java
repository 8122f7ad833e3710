package com.finledger.integrity.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every valid reviewed rule set that became active, per kind, with its files verbatim ({@code rule_set}):
 * the durable half of {@link ReviewedRuleSet}. A set is stored once (kind + content hash); activating it
 * again moves it to the front, and each activation that changes the kind's latest set is audited.
 */
@ApplicationScoped
public class RuleSetStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kinds of reviewed rule sets, each with its folder and audit action. */
    public enum Kind {
        QUALITY("quality", "rules/", "rules.activated", "rule_set"),
        MATCHING("matching", "rules/matching/", "match_rules.activated", "match_rule_set");

        private final String column;
        private final String folder;
        private final String auditAction;
        private final String subjectType;

        Kind(String column, String folder, String auditAction, String subjectType) {
            this.column = column;
            this.folder = folder;
            this.auditAction = auditAction;
            this.subjectType = subjectType;
        }

        public String folder() {
            return folder;
        }
    }

    public record Stored(String contentHash, Map<String, String> files) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    /** Records the set as the kind's active one; audited unless it already was the latest. */
    public void activate(Kind kind, Map<String, String> files, String hash, String actor, int ruleCount) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Optional<String> latest = latestHash(c, kind);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into rule_set (kind, loaded_at, activated_at, content_hash, files) values (?, ?, ?, ?, ?::jsonb)
                    on conflict (kind, content_hash) do update set activated_at = excluded.activated_at,
                        activation_seq = nextval('rule_set_activation_seq')""")) {
                Timestamp now = Timestamp.from(clock.instant());
                ps.setString(1, kind.column);
                ps.setTimestamp(2, now);
                ps.setTimestamp(3, now);
                ps.setString(4, hash);
                ps.setString(5, JSON.writeValueAsString(files));
                ps.executeUpdate();
            }
            if (!latest.equals(Optional.of(hash))) {
                auditLog.append(c, actor, kind.auditAction, kind.subjectType, hash, null,
                        Map.of("rules", ruleCount, "files", files.keySet()));
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot store the " + kind.folder + " set: " + e.getMessage(), e);
        }
    }

    public Optional<Stored> latest(Kind kind) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select content_hash, files::text from rule_set where kind = ? order by activation_seq desc limit 1")) {
            ps.setString(1, kind.column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> files = JSON.readValue(rs.getString(2), new TypeReference<TreeMap<String, String>>() {
                });
                return Optional.of(new Stored(rs.getString(1).trim(), files));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the last " + kind.folder + " set: " + e.getMessage(), e);
        }
    }

    private static Optional<String> latestHash(Connection c, Kind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select content_hash from rule_set where kind = ? order by activation_seq desc limit 1")) {
            ps.setString(1, kind.column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).trim()) : Optional.empty();
            }
        }
    }
}
