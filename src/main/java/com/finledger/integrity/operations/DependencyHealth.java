package com.finledger.integrity.operations;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.SourceDatabases;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness per dependency, beside the application database's own check (Agroal's): the warehouse, every
 * source database, the object store; each named so /q/health/ready says which one is down. Liveness only
 * says the application answers.
 */
public final class DependencyHealth {

    private DependencyHealth() {
    }

    @Liveness
    @ApplicationScoped
    public static class Alive implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("finledger");
        }
    }

    @Readiness
    @ApplicationScoped
    public static class WarehouseReady implements HealthCheck {

        @Inject
        Warehouse warehouse;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("warehouse")
                    .withData("dialect", warehouse.dialect().getClass().getSimpleName());
            try {
                warehouse.query("select 1", List.of(), rs -> rs.getInt(1));
                return b.up().build();
            } catch (RuntimeException e) {
                return b.down().withData("error", String.valueOf(e.getMessage())).build();
            }
        }
    }

    @Readiness
    @ApplicationScoped
    public static class SourceDatabasesReady implements HealthCheck {

        @Inject
        SourceDatabases sources;

        @Inject
        CatalogService catalog;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("source-databases").up();
            for (Source source : catalog.catalog().sources()) {
                if (source.kind() != SourceKind.POSTGRES_CDC) {
                    continue;
                }
                try {
                    sources.of(source).query("select 1", List.of(), rs -> rs.getInt(1));
                    b.withData(source.name(), "up");
                } catch (RuntimeException e) {
                    b.down().withData(source.name(), "down: " + e.getMessage());
                }
            }
            return b.build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class ObjectStoreReady implements HealthCheck {

        @Inject
        ObjectStore store;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("object-store");
            try {
                store.head("landing/.health");
                return b.up().build();
            } catch (RuntimeException e) {
                return b.down().withData("error", String.valueOf(e.getMessage())).build();
            }
        }
    }

    @Readiness
    @ApplicationScoped
    public static class QueueReady implements HealthCheck {

        @Inject
        com.finledger.integrity.intake.IntakeScheduler intake;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("event-queue");
            try {
                return intake.queueDepth().map(depth -> b.up().withData("depth", depth))
                        .orElseGet(() -> b.up().withData("configured", false)).build();
            } catch (RuntimeException e) {
                return b.down().withData("error", String.valueOf(e.getMessage())).build();
            }
        }
    }
}
