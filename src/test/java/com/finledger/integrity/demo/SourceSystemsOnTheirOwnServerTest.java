package com.finledger.integrity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo world with every source system in its own database on another PostgreSQL server: the
 * world writes the ledgers and processor systems there and nowhere else, and the DMS stand-in and
 * the processor APIs read them there, so the pipeline lands and loads what those databases hold.
 * (Readiness is not asserted: the control plane still reads ledgers through its own port.)
 */
@QuarkusTest
@TestProfile(SourceSystemsOnTheirOwnServerTest.OwnServer.class)
class SourceSystemsOnTheirOwnServerTest {

    public static class OwnServer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SourceSystemsServer.class));
        }
    }

    private static final int RESTART_REPLAYED_CHANGES = 40;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoSources.SourceSystems systems;

    @Inject
    DemoScript script;

    @Inject
    DataSource application;

    @BeforeAll
    static void anotherProfilesWorldIsNotThisDatabases() {
        DemoWorldFixture.invalidate();
    }

    @AfterAll
    static void otherProfilesRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void eachSourceSystemIsWrittenIntoItsOwnDatabaseOnly() throws SQLException {
        fixture.ensureDefaultWorld();

        assertEquals(Set.of(), sourceSchemas(application), "no source system in the application's database");
        assertEquals(Set.of("src_payments"), sourceSchemas("payments_ledger"));
        assertEquals(Set.of("src_refunds"), sourceSchemas("refunds_ledger"));
        assertEquals(Set.of("src_settlements"), sourceSchemas("settlements_ledger"));
        assertEquals(Set.of("src_processor_alpha"), sourceSchemas("processor_alpha"));
        assertEquals(Set.of("src_processor_beta"), sourceSchemas("processor_beta"));
        try (Connection app = application.getConnection(); Connection ledger = sourceSystem("payments_ledger")) {
            assertNotEquals(app.getMetaData().getURL(), ledger.getMetaData().getURL(), "another server");
        }
        assertTrue(count("payments_ledger", "select count(*) from src_payments.payments_changes") > 0);
        assertEquals(1, count(application, "select count(*) from demo_injected_fault where defect = 'missing-settlement'"),
                "the world's script stays with the control plane");
    }

    @Test
    void thePipelineLandsAndLoadsWhatTheSourceSystemsHold() throws Exception {
        fixture.ensureDefaultWorld();

        long paymentChanges = count("payments_ledger", "select count(*) from src_payments.payments_changes");
        assertEquals(paymentChanges + RESTART_REPLAYED_CHANGES, landed("payments"),
                "DMS landed every payment change, and the restart's 40 again");
        assertEquals(paymentChanges + RESTART_REPLAYED_CHANGES, count(application, "select count(*) from raw.payments"));
        assertEquals(count("payments_ledger", "select count(*) from src_payments.payments"),
                count(application, "select count(*) from staging.payments"));

        var skipped = new ObjectMapper().readTree(script.fault(Defect.SKIPPED_CHANGE_RANGE).orElseThrow().detailJson());
        long skippedChanges = skipped.get("to_change_seq").asLong() - skipped.get("from_change_seq").asLong() + 1;
        long refundChanges = count("refunds_ledger", "select count(*) from src_refunds.refunds_changes");
        assertEquals(refundChanges - skippedChanges, count(application, "select count(*) from raw.ledger_refunds"),
                "every refund change but the range DMS skipped");

        long settlements = count("settlements_ledger", "select count(*) from src_settlements.settlements");
        assertEquals(count("settlements_ledger", "select count(*) from src_settlements.settlements_changes"),
                count(application, "select count(*) from raw.ledger_settlements"));
        assertEquals(settlements, count(application, "select count(*) from staging.bank_settlement_lines"),
                "Northbank's files list every settlement");

        assertEquals(count("processor_beta", "select count(*) from src_processor_beta.transactions"),
                count(application, "select count(*) from raw.beta_transactions"), "processor Beta's API read there");
        String gapDate = script.fault(Defect.API_WINDOW_GAP).orElseThrow().businessDate().toString();
        long alpha = count("processor_alpha", "select count(*) from src_processor_alpha.transactions "
                + "where business_date <> '" + gapDate + "'");
        assertTrue(alpha > 0);
        assertEquals(alpha, count(application, "select count(*) from raw.alpha_transactions "
                + "where business_date <> '" + gapDate + "'"), "processor Alpha's API read there, outside its gap");
    }

    private long landed(String dataset) throws SQLException {
        return count(application, "select coalesce(sum(row_count), 0) from landed_object where dataset = '" + dataset + "'");
    }

    private Connection sourceSystem(String source) throws SQLException {
        DemoSources.SourceSystems.SourceSystem system = systems.systems().get(source);
        return DriverManager.getConnection(system.url(), system.user(), system.password().orElse(""));
    }

    private Set<String> sourceSchemas(String source) throws SQLException {
        try (Connection c = sourceSystem(source)) {
            return sourceSchemas(c);
        }
    }

    private static Set<String> sourceSchemas(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return sourceSchemas(c);
        }
    }

    private static Set<String> sourceSchemas(Connection c) throws SQLException {
        Set<String> schemas = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select schema_name from information_schema.schemata where schema_name like 'src\\_%'")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }

    private long count(String source, String sql) throws SQLException {
        try (Connection c = sourceSystem(source)) {
            return count(c, sql);
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return count(c, sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
