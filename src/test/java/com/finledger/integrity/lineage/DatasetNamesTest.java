package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.lineage.DatasetNames.Name;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenLineage naming of our datasets in production (S3, Snowflake, read replicas, processor URLs) and locally. */
class DatasetNamesTest {

    private static final Source PAYMENTS_LEDGER = new Source("payments_ledger", SourceKind.POSTGRES_CDC, "", "",
            "payments", Optional.empty(), Optional.of("finledger-payments-ledger-cdc"), Optional.of("payments_ledger"),
            Optional.empty(), List.of());
    private static final Dataset PAYMENTS = new Dataset("payments", "payments_ledger", "payments", "payment_id", null,
            null, null, List.of("payment_id"), "change_seq", null, "business_date", List.of());
    private static final Source ALPHA = new Source("processor_alpha", SourceKind.REST_API, "", "", "alpha",
            Optional.of("/processors/alpha/v1/transactions"), Optional.empty(), Optional.empty(), Optional.empty(),
            List.of());

    private static DatasetNames names(Map<String, String> config) {
        return new DatasetNames(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    void productionNamesSnowflakeS3TheReadReplicaAndTheProcessorsUrl() {
        DatasetNames production = names(Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://control-plane.abc.eu-west-1.rds.amazonaws.com:5432/finledger?sslmode=verify-full",
                "finledger.ports.warehouse", "snowflake",
                "finledger.snowflake.account", "FINLEDGER-PAYMENTS",
                "finledger.snowflake.database", "FINLEDGER",
                "finledger.intake.bucket", "finledger-prod-landing",
                "finledger.ports.source-database", "jdbc",
                "finledger.source-databases.payments_ledger.url",
                "jdbc:postgresql://payments-replica.abc.eu-west-1.rds.amazonaws.com:6432/payments?sslmode=verify-full",
                "finledger.processors.processor_alpha.base-url", "https://api.alpha-processor.example:8443"));

        assertEquals(new Name("snowflake://finledger-payments", "finledger.raw.payments"),
                production.warehouseTable("raw", "payments"));
        assertEquals(new Name("snowflake://finledger-payments", "finledger.curated.transactions"),
                production.warehouseRelation("FINLEDGER", "CURATED", "TRANSACTIONS"));
        assertEquals(new Name("s3://finledger-prod-landing", "landing/payments_ledger/payments/business_date=2026-11-02/c.csv"),
                production.landingObject("landing/payments_ledger/payments/business_date=2026-11-02/c.csv"));
        assertEquals(new Name("postgres://payments-replica.abc.eu-west-1.rds.amazonaws.com:6432", "payments.payments.payments"),
                production.sourceTable(PAYMENTS_LEDGER, PAYMENTS));
        assertEquals(new Name("https://api.alpha-processor.example:8443", "/processors/alpha/v1/transactions"),
                production.apiEndpoint(ALPHA));
        assertEquals("snowflake://xy12345.eu-west-1.aws", names(Map.of("finledger.ports.warehouse", "snowflake",
                "finledger.snowflake.account", "XY12345.eu-west-1")).warehouseNamespace(), "a legacy account locator");
    }

    @Test
    void locallyEverythingIsInTheApplicationsPostgresqlAndTheLocalBucketKeepsItsName() {
        DatasetNames local = names(Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:62842/postgres?loggerLevel=OFF"));

        assertEquals(new Name("postgres://localhost:62842", "postgres.raw.payments"), local.warehouseTable("raw", "payments"));
        assertEquals(new Name("postgres://localhost:62842", "postgres.payments.payments"),
                local.sourceTable(PAYMENTS_LEDGER, PAYMENTS));
        assertEquals(new Name("s3://finledger-landing", "landing/x.csv"), local.landingObject("landing/x.csv"));
        assertEquals(new Name("http://localhost:8080", "/processors/alpha/v1/transactions"), local.apiEndpoint(ALPHA));
    }
}
