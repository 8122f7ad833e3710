package com.finledger.integrity.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Tampering is simulated the way a database superuser would do it: switching off the append-only
 * trigger, changing or removing a row, switching it back on. Each test restores the row afterwards.
 */
@QuarkusTest
class AuditLogTest {

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Test
    void anUntouchedChainVerifies() {
        auditLog.append("preparer", "test.signed", "test_subject", "intact-1", "looks right", Map.of("n", 1));
        auditLog.append("approver", "test.approved", "test_subject", "intact-1", null, Map.of());

        AuditVerification v = auditLog.verify();

        assertTrue(v.intact(), v.problem());
        assertTrue(v.entriesChecked() >= 2);
        given().auth().preemptive().basic("auditor", "demo").when().get("/api/v1/audit/verify")
                .then().statusCode(200).body("intact", is(true));
    }

    @Test
    void updatesAndDeletesAreRefusedByTheDatabase() throws SQLException {
        AuditEntry entry = auditLog.append("ops", "test.refused", "test_subject", "refused-1", null, Map.of());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("update audit_log set actor = 'mallory' where seq = " + entry.seq()));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("delete from audit_log where seq = " + entry.seq()));
        }
    }

    @Test
    void anEditedEntryIsTheFirstBrokenLink() throws SQLException {
        AuditEntry target = auditLog.append("preparer", "test.signed", "test_subject", "edit-1", "total 100.00",
                Map.of("total", "100.00"));
        auditLog.append("approver", "test.approved", "test_subject", "edit-1", null, Map.of());
        tamper("update audit_log set reason = 'total 1000.00' where seq = " + target.seq());
        try {
            AuditVerification v = auditLog.verify();

            assertFalse(v.intact());
            assertEquals(target.seq(), v.firstBrokenSeq());
            assertTrue(v.problem().contains("was changed after it was written"), v.problem());
            given().auth().preemptive().basic("auditor", "demo").when().get("/api/v1/audit/verify")
                    .then().statusCode(200).body("intact", is(false))
                    .body("firstBrokenSeq", is((int) target.seq()));
        } finally {
            tamper("update audit_log set reason = 'total 100.00' where seq = " + target.seq());
        }
        assertTrue(auditLog.verify().intact());
    }

    @Test
    void aDeletedEntryInTheMiddleIsDetected() throws SQLException {
        AuditEntry target = auditLog.append("ops", "test.deleted", "test_subject", "delete-1", null, Map.of());
        auditLog.append("ops", "test.after", "test_subject", "delete-1", null, Map.of());
        tamper("delete from audit_log where seq = " + target.seq());
        try {
            AuditVerification v = auditLog.verify();

            assertFalse(v.intact());
            assertEquals(target.seq(), v.firstBrokenSeq());
            assertTrue(v.problem().contains("entry " + target.seq() + " is missing"), v.problem());
        } finally {
            restore(target);
        }
        assertTrue(auditLog.verify().intact());
    }

    @Test
    void aDeletedLastEntryIsDetectedThroughTheChainHead() throws SQLException {
        AuditEntry last = auditLog.append("ops", "test.last", "test_subject", "last-1", null, Map.of());
        tamper("delete from audit_log where seq = " + last.seq());
        try {
            AuditVerification v = auditLog.verify();

            assertFalse(v.intact());
            assertTrue(v.problem().contains("later entries were removed"), v.problem());
        } finally {
            restore(last);
        }
        AuditVerification restored = auditLog.verify();
        assertTrue(restored.intact(), restored.problem());
    }

    @Test
    void thePageShowsTheVerdict() {
        auditLog.append("admin", "test.page", "test_subject", "page-1", null, Map.of());
        given().auth().preemptive().basic("auditor", "demo").when().get("/audit?verify=true")
                .then().statusCode(200).body(containsString("Chain intact"));
    }

    private void tamper(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_log disable trigger audit_log_append_only");
            s.execute(sql);
            s.execute("alter table audit_log enable trigger audit_log_append_only");
            c.commit();
        }
    }

    private void restore(AuditEntry e) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var ps = c.prepareStatement("""
                     insert into audit_log (seq, occurred_at, actor, action, subject_type, subject_id, reason, details,
                                            prev_hash, entry_hash)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, e.seq());
            ps.setTimestamp(2, java.sql.Timestamp.from(e.occurredAt()));
            ps.setString(3, e.actor());
            ps.setString(4, e.action());
            ps.setString(5, e.subjectType());
            ps.setString(6, e.subjectId());
            ps.setString(7, e.reason());
            ps.setString(8, e.details());
            ps.setString(9, e.prevHash());
            ps.setString(10, e.entryHash());
            ps.executeUpdate();
        }
    }
}
