package com.finledger.integrity.audit;

import com.finledger.integrity.platform.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The append-only, hash-chained audit log. Each entry's hash covers its own fields and the previous
 * entry's hash, so editing, deleting or reordering any entry breaks every hash after it.
 */
@ApplicationScoped
public class AuditLog {

    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    /** Appends in its own transaction. */
    public AuditEntry append(String actor, String action, String subjectType, String subjectId, String reason,
                             Map<String, ?> details) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                AuditEntry entry = append(c, actor, action, subjectType, subjectId, reason, details);
                c.commit();
                return entry;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    /**
     * Appends inside the caller's transaction, so the audited change and its entry commit together.
     * Locking the chain head serializes appenders.
     */
    public AuditEntry append(Connection c, String actor, String action, String subjectType, String subjectId,
                             String reason, Map<String, ?> details) throws SQLException {
        long lastSeq;
        String lastHash;
        try (PreparedStatement ps = c.prepareStatement(
                "select last_seq, last_hash from audit_chain_head where id = 1 for update");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            lastSeq = rs.getLong(1);
            lastHash = rs.getString(2);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detailsJson = canonicalJson(details);
        long seq = lastSeq + 1;
        String hash = hash(seq, now, actor, action, subjectType, subjectId, reason, detailsJson, lastHash);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into audit_log (seq, occurred_at, actor, action, subject_type, subject_id, reason, details,
                                       prev_hash, entry_hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, subjectType);
            ps.setString(6, subjectId);
            ps.setString(7, reason);
            ps.setString(8, detailsJson);
            ps.setString(9, lastHash);
            ps.setString(10, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update audit_chain_head set last_seq = ?, last_hash = ? where id = 1")) {
            ps.setLong(1, seq);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return new AuditEntry(seq, now, actor, action, subjectType, subjectId, reason, detailsJson, lastHash, hash);
    }

    /** Re-walks the whole chain in order, streaming, and reports the first entry that does not hold. */
    public AuditVerification verify() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return verify(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit verification failed: " + e.getMessage(), e);
        }
    }

    private AuditVerification verify(Connection c) throws SQLException {
        long headSeq;
        String headHash;
        try (PreparedStatement ps = c.prepareStatement("select last_seq, last_hash from audit_chain_head where id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            headSeq = rs.getLong(1);
            headHash = rs.getString(2);
        }
        long expectedSeq = 1;
        String prevHash = GENESIS;
        long checked = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                select seq, occurred_at, actor, action, subject_type, subject_id, reason, details, prev_hash,
                       entry_hash
                from audit_log order by seq""")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditEntry e = read(rs);
                    checked++;
                    if (e.seq() != expectedSeq) {
                        return broken(checked, expectedSeq, "entry " + expectedSeq + " is missing (next entry is "
                                + e.seq() + ")", headHash);
                    }
                    if (!e.prevHash().equals(prevHash)) {
                        return broken(checked, e.seq(), "entry " + e.seq()
                                + " does not point at the hash of the entry before it", headHash);
                    }
                    String recomputed = hash(e.seq(), e.occurredAt(), e.actor(), e.action(), e.subjectType(),
                            e.subjectId(), e.reason(), e.details(), e.prevHash());
                    if (!recomputed.equals(e.entryHash())) {
                        return broken(checked, e.seq(), "entry " + e.seq()
                                + " was changed after it was written (its hash no longer matches its content)",
                                headHash);
                    }
                    prevHash = e.entryHash();
                    expectedSeq++;
                }
            }
        }
        if (expectedSeq - 1 != headSeq || !prevHash.equals(headHash)) {
            return broken(checked, expectedSeq, "the chain ends at entry " + (expectedSeq - 1)
                    + " but the chain head records entry " + headSeq + ": later entries were removed", headHash);
        }
        return new AuditVerification(true, checked, null, null, headHash);
    }

    private static AuditVerification broken(long checked, long seq, String problem, String headHash) {
        return new AuditVerification(false, checked, seq, problem, headHash);
    }

    /** A page of entries, newest first, optionally for one subject. */
    public List<AuditEntry> page(String subjectType, String subjectId, long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("""
                select seq, occurred_at, actor, action, subject_type, subject_id, reason, details, prev_hash,
                       entry_hash
                from audit_log where seq < ?""");
        if (subjectType != null) {
            sql.append(" and subject_type = ?");
        }
        if (subjectId != null) {
            sql.append(" and subject_id = ?");
        }
        sql.append(" order by seq desc limit ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, beforeSeq);
            if (subjectType != null) {
                ps.setString(i++, subjectType);
            }
            if (subjectId != null) {
                ps.setString(i++, subjectId);
            }
            ps.setInt(i, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("audit read failed: " + e.getMessage(), e);
        }
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10));
    }

    static String canonicalJson(Map<String, ?> details) {
        try {
            return CANONICAL.writeValueAsString(details == null ? Map.of() : new TreeMap<>(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serializable: " + e.getMessage(), e);
        }
    }

    static String hash(long seq, Instant occurredAt, String actor, String action, String subjectType,
                       String subjectId, String reason, String details, String prevHash) {
        // Length-prefixed fields: no two different entries can produce the same preimage.
        StringBuilder preimage = new StringBuilder();
        for (String field : new String[] {Long.toString(seq), occurredAt.toString(), actor, action, subjectType,
                subjectId, reason == null ? "\u0000" : reason, details, prevHash}) {
            preimage.append(field.length()).append(':').append(field).append(';');
        }
        return Sha256.hex(preimage.toString().getBytes(StandardCharsets.UTF_8));
    }
}
