package com.finledger.integrity.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.ControlTotal;
import com.finledger.integrity.controls.ControlTotalService;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The ledgers reached only through the {@code SourceDatabase} port, each its own database on another
 * PostgreSQL server with its own read-only user, as the production read replicas are: the CDC
 * controls and freshness read there, so moving the application database's copies away changes no
 * total, and a replica that is down is a failed evaluation naming the source, never READY.
 */
@QuarkusTest
@TestProfile(LedgerReplicasTest.Replicas.class)
class LedgerReplicasTest {

    static final String PASSWORD = "replica-reader";

    /** One PostgreSQL server, a database per ledger, a read-only login per database. */
    public static class ReplicaServer implements QuarkusTestResourceLifecycleManager {

        static EmbeddedPostgres server;

        @Override
        public Map<String, String> start() {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("finledger.ports.source-database", "jdbc");
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                for (String database : List.of("payments_ledger", "refunds_ledger", "settlements_ledger")) {
                    s.execute("create database " + database);
                    s.execute("create role " + database + "_reader login password '" + PASSWORD + "'");
                    s.execute("alter role " + database + "_reader set default_transaction_read_only = on");
                    String prefix = "finledger.source-databases." + database + ".";
                    config.put(prefix + "url", "jdbc:postgresql://localhost:" + server.getPort() + "/" + database);
                    config.put(prefix + "user", database + "_reader");
                    config.put(prefix + "password", PASSWORD);
                    config.put(prefix + "connect-timeout", "PT2S");
                    config.put(prefix + "query-timeout", "PT20S");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return config;
        }

        @Override
        public void stop() {
            // closed by the test that takes the server down, or here
            try {
                if (server != null) {
                    server.close();
                }
            } catch (IOException ignored) {
                // already down
            }
        }
    }

    public static class Replicas implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ReplicaServer.class));
        }
    }

    @Inject
    DemoWorldFixture fixture;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource application;

    @Inject
    ControlTotalService controlTotals;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    ReadinessService readiness;

    @org.junit.jupiter.api.BeforeAll
    static void freshWorld() {
        DemoWorldFixture.invalidate(); // another profile's application had another database
    }

    @AfterAll
    static void otherTestsRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void theLedgersAreReadOnlyOnTheirReplicasAndAReplicaThatIsDownFailsTheEvaluationByName() throws Exception {
        fixture.ensureDefaultWorld();
        List<Source> ledgers = catalogService.catalog().sources().stream()
                .filter(s -> s.kind() == SourceKind.POSTGRES_CDC).toList();
        Map<String, Long> primaryCounts = new HashMap<>();
        for (Source ledger : ledgers) {
            replicate(ledger);
            for (Dataset d : ledger.datasets()) {
                primaryCounts.put(d.name(), Jdbc.query(application, "select count(*) from " + ledger.schema() + "."
                        + d.table() + "_changes", List.of(), rs -> rs.getLong(1)).get(0));
            }
        }
        // nothing may read the ledgers from the application database any more
        try (Connection c = application.getConnection(); Statement s = c.createStatement()) {
            for (Source ledger : ledgers) {
                s.execute("alter schema " + ledger.schema() + " rename to " + ledger.schema() + "_primary");
            }
        }
        try {
            LocalDate first = fixture.defaultSpec().firstBusinessDate();
            for (Source ledger : ledgers) {
                for (Dataset d : ledger.datasets()) {
                    long source = 0;
                    for (LocalDate date = first; !date.isAfter(fixture.defaultSpec().lastBusinessDate());
                         date = date.plusDays(1)) {
                        try (Connection c = application.getConnection()) {
                            ControlTotal total = controlTotals.compute(ledger, d, date, c).date()
                                    .get(ControlTotalService.SOURCE);
                            source += total.rowCount();
                        }
                    }
                    assertEquals(primaryCounts.get(d.name()), source, d.name() + ": every change, read on its replica");
                }
            }
            String day = first.toString();
            assertEquals(ReadinessState.READY, evaluator.evaluate("payments", first, "test").readiness()
                    .state(), "a ledger read only on its replica earns READY");

            ReplicaServer.server.close();
            IllegalStateException down = assertThrows(IllegalStateException.class,
                    () -> evaluator.evaluate("payments", first, "test"));
            assertTrue(down.getMessage().contains("source database of payments_ledger failed"), down.getMessage());
            List<String> last = Jdbc.query(application, "select outcome || ': ' || error from evaluation where "
                    + "dataset = 'payments' and partition_key = ? order by id desc limit 1", List.of(day),
                    rs -> rs.getString(1));
            assertTrue(last.get(0).startsWith("ERROR: source database of payments_ledger failed"), last.toString());
            assertEquals(ReadinessState.READY, readiness.find("payments", day).orElseThrow().state(),
                    "a failed evaluation changes no verdict");
        } finally {
            try (Connection c = application.getConnection(); Statement s = c.createStatement()) {
                for (Source ledger : ledgers) {
                    s.execute("alter schema " + ledger.schema() + "_primary rename to " + ledger.schema());
                }
            }
        }
    }

    /** Copies a ledger's tables (the demo world writes them in the application database) to its replica. */
    private void replicate(Source ledger) throws SQLException {
        String database = ledger.database().orElseThrow();
        try (Connection from = application.getConnection();
             Connection to = ReplicaServer.server.getDatabase("postgres", database).getConnection();
             Statement ddl = to.createStatement()) {
            ddl.execute("create schema " + ledger.schema());
            for (Dataset d : ledger.datasets()) {
                for (String table : List.of(d.table(), d.table() + "_changes")) {
                    List<String> columns = new ArrayList<>();
                    try (PreparedStatement ps = from.prepareStatement("select column_name, data_type from "
                            + "information_schema.columns where table_schema = ? and table_name = ? order by "
                            + "ordinal_position")) {
                        ps.setString(1, ledger.schema());
                        ps.setString(2, table);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                columns.add(rs.getString(1) + " " + rs.getString(2));
                            }
                        }
                    }
                    String qualified = ledger.schema() + "." + table;
                    ddl.execute("create table " + qualified + " (" + String.join(", ", columns) + ")");
                    try (Statement read = from.createStatement();
                         ResultSet rows = read.executeQuery("select * from " + qualified);
                         PreparedStatement insert = to.prepareStatement("insert into " + qualified + " values ("
                                 + String.join(", ", columns.stream().map(col -> "?").toList()) + ")")) {
                        while (rows.next()) {
                            for (int i = 1; i <= columns.size(); i++) {
                                insert.setObject(i, rows.getObject(i));
                            }
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                }
            }
            ddl.execute("grant usage on schema " + ledger.schema() + " to " + database + "_reader");
            ddl.execute("grant select on all tables in schema " + ledger.schema() + " to " + database + "_reader");
        }
    }
}
