package com.finledger.integrity.audit;

import com.finledger.integrity.platform.CrashPoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;

/**
 * A child process of {@link AuditChainCrashTest}: records items 1 to {@code crash.items}, each once (an item
 * ledger row with a natural key and its audit entry in one transaction, as the application's writes do),
 * skipping items recorded by an earlier run. Item {@code n} reaches crash point {@code item-n} just before its
 * commit.
 */
public final class AuditCrashChild {

    private AuditCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("crash.jdbc-url");
        int items = Integer.getInteger("crash.items", 6);
        AuditLog audit = new AuditLog();
        audit.clock = Clock.systemUTC();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= items; i++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into crash_item (item) values (?) on conflict (item) do nothing")) {
                    ps.setString(1, "item-" + i);
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        continue; // recorded before the crash
                    }
                }
                audit.append(c, "crash-child", "crash_item.recorded", "crash_item", "item-" + i, null,
                        Map.of("item", i));
                CrashPoints.reach("item-" + i);
                c.commit();
            }
        }
    }
}
