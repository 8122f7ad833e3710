package com.finledger.integrity.demo;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A second PostgreSQL server for the simulated source systems, one database per system, as each
 * ledger and processor has its own in production; the demo world is pointed at them through
 * {@code finledger.demo.source-systems.<source>.*}.
 */
public class SourceSystemsServer implements QuarkusTestResourceLifecycleManager {

    /** Catalog source name to its database on the source systems' server. */
    static final Map<String, String> DATABASES = Map.of(
            "payments_ledger", "payments_ledger",
            "refunds_ledger", "refunds_ledger",
            "settlements_ledger", "settlements_ledger",
            "processor_alpha", "processor_alpha",
            "processor_beta", "processor_beta");

    private EmbeddedPostgres server;

    @Override
    public Map<String, String> start() {
        try {
            server = EmbeddedPostgres.builder().start();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                for (String database : DATABASES.values()) {
                    s.execute("create database " + database);
                }
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start the source systems' PostgreSQL: " + e.getMessage(), e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        DATABASES.forEach((source, database) -> {
            String prefix = "finledger.demo.source-systems." + source + ".";
            config.put(prefix + "url", server.getJdbcUrl("postgres", database));
            config.put(prefix + "user", "postgres");
        });
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new IllegalStateException("cannot stop the source systems' PostgreSQL", e);
            }
        }
    }
}
