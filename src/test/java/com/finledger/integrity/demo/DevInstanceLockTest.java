package com.finledger.integrity.demo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A second instance on the same database is refused with a message saying what to do. */
@QuarkusTest
class DevInstanceLockTest {

    @Inject
    DataSource dataSource;

    @Test
    void aSecondInstanceOnTheSameDatabaseIsRefusedClearly() {
        DevInstanceLock first = new DevInstanceLock();
        first.dataSource = dataSource;
        first.databasePort = 62537;
        first.httpPort = 8080;
        DevInstanceLock second = new DevInstanceLock();
        second.dataSource = dataSource;
        second.databasePort = 62537;
        second.httpPort = 8080;
        try {
            first.acquire();
            IllegalStateException refused = assertThrows(IllegalStateException.class, second::acquire);
            assertTrue(refused.getMessage().startsWith("Another FinLedger dev instance is already running"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("-Dquarkus.embedded.postgresql.port=62538"), refused.getMessage());
        } finally {
            first.release(new ShutdownEvent());
            second.release(new ShutdownEvent());
        }
        second.acquire();
        second.release(new ShutdownEvent());
    }
}
