package com.finledger.integrity.audit;

import java.time.Clock;
import javax.sql.DataSource;

/** Verifies the audit chain of any database, for tests outside this package (the crash tests' harness database). */
public final class AuditChains {

    private AuditChains() {
    }

    public static AuditVerification verify(DataSource dataSource) {
        AuditLog log = new AuditLog();
        log.dataSource = dataSource;
        log.clock = Clock.systemUTC();
        return log.verify();
    }
}
