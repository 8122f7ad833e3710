package com.finledger.integrity.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.crash.CrashHarness;
import com.finledger.integrity.platform.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process appending to the audit chain is killed with SIGKILL mid-transaction — its entry written, the
 * chain head locked, nothing committed — and restarted against the same PostgreSQL: the chain verifies
 * intact after the kill and after the restart, every item is recorded exactly once with exactly one entry,
 * and the restart is not held up by the dead process's lock on the chain head.
 */
class AuditChainCrashTest {

    private static CrashHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new CrashHarness("audit");
        harness.execute(Path.of("db-migrations/V1__create_audit_log.sql"));
        try (Connection c = harness.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table crash_item (item text primary key)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static AuditVerification verify() {
        AuditLog log = new AuditLog();
        log.dataSource = harness.dataSource();
        log.clock = Clock.systemUTC();
        return log.verify();
    }

    private static List<String> entries() {
        return Jdbc.query(harness.dataSource(), "select subject_id from audit_log order by seq", List.of(),
                rs -> rs.getString(1));
    }

    private static List<String> items() {
        return Jdbc.query(harness.dataSource(), "select item from crash_item order by item", List.of(),
                rs -> rs.getString(1));
    }

    @Test
    void killedMidAppendThenRestartedLosesAndDoublesNothing() throws Exception {
        CrashHarness.Child first = harness.start(AuditCrashChild.class, "item-4", Map.of("crash.items", "6"));
        assertEquals("item-4", first.awaitCrashPoint(Duration.ofSeconds(60)));
        int exit = first.kill();
        assertNotEquals(0, exit, "killed, not finished");

        assertEquals(List.of("item-1", "item-2", "item-3"), items(), "the open transaction left nothing behind");
        assertEquals(List.of("item-1", "item-2", "item-3"), entries());
        AuditVerification afterKill = verify();
        assertTrue(afterKill.intact(), afterKill.problem());
        assertEquals(3, afterKill.entriesChecked());

        CrashHarness.Child restarted = harness.start(AuditCrashChild.class, null, Map.of("crash.items", "6"));
        assertEquals(0, restarted.awaitExit(Duration.ofSeconds(60)), restarted.output());
        CrashHarness.Child again = harness.start(AuditCrashChild.class, null, Map.of("crash.items", "6"));
        assertEquals(0, again.awaitExit(Duration.ofSeconds(60)), again.output());

        List<String> all = List.of("item-1", "item-2", "item-3", "item-4", "item-5", "item-6");
        assertEquals(all, items(), "every item once");
        assertEquals(all, entries(), "one audit entry per item, in order");
        AuditVerification afterRestart = verify();
        assertTrue(afterRestart.intact(), afterRestart.problem());
        assertEquals(6, afterRestart.entriesChecked());
    }
}
