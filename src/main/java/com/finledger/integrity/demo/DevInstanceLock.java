package com.finledger.integrity.demo;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One demo world per database: before the demo world is (re)generated, this instance takes a
 * PostgreSQL session advisory lock and holds it on its own connection until it stops. A second
 * {@code ./mvnw quarkus:dev} that reaches the same embedded database finds the lock taken and refuses
 * to start, saying what to do, instead of regenerating the first instance's world underneath it.
 * The lock dies with the holder's connection, so a crashed instance never leaves it behind.
 */
@ApplicationScoped
public class DevInstanceLock {

    private static final Logger LOG = Logger.getLogger(DevInstanceLock.class);

    /** "FLDEMO" as a number: the key of the advisory lock. */
    static final long KEY = 0x464C44454D4FL;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.embedded.postgresql.port", defaultValue = "62537")
    int databasePort;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    private Connection held;

    /** Takes the lock or throws, naming the database and the way out. */
    public synchronized void acquire() {
        if (held != null) {
            return;
        }
        try {
            Connection c = dataSource.getConnection();
            boolean got;
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (!got) {
                c.close();
                throw new IllegalStateException(refusal(databasePort, httpPort));
            }
            held = c;
            LOG.infof("demo world: this instance owns the database on port %d (advisory lock %d)", databasePort, KEY);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the demo-world lock: " + e.getMessage(), e);
        }
    }

    static String refusal(int databasePort, int httpPort) {
        return "Another FinLedger dev instance is already running on the embedded database at port " + databasePort
                + " and owns its demo world; this one will not start so it cannot regenerate that world underneath it."
                + " Stop the other instance (q in its terminal), or give this one its own database and HTTP port: "
                + "./mvnw quarkus:dev -Dquarkus.embedded.postgresql.port=" + (databasePort + 1)
                + " -Dquarkus.http.port=" + (httpPort + 1);
    }

    void release(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (held != null) {
                try {
                    held.close();
                } catch (SQLException e) {
                    LOG.debugf("closing the demo-world lock connection: %s", e.getMessage());
                }
                held = null;
            }
        }
    }
}
