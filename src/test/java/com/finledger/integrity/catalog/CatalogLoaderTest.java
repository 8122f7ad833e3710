package com.finledger.integrity.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ingestion-config/ loads; each kind of mistake is reported as file:line: what is wrong. */
class CatalogLoaderTest {

    private static final Path REAL = Path.of("ingestion-config");

    @TempDir
    Path dir;

    @Test
    void theShippedCatalogDeclaresTheSixFinLedgerSources() {
        Catalog catalog = CatalogLoader.load(REAL);

        assertEquals(List.of("landing", "raw", "staging", "curated"),
                catalog.layers().stream().map(Catalog.Layer::name).toList());
        assertEquals(3, catalog.sources().stream().filter(s -> s.kind() == SourceKind.POSTGRES_CDC).count());
        assertEquals(2, catalog.sources().stream().filter(s -> s.kind() == SourceKind.REST_API).count());
        assertEquals(1, catalog.sources().stream().filter(s -> s.kind() == SourceKind.PARTNER_FILES).count());
        Catalog.Dataset payments = catalog.dataset("payments");
        assertEquals(List.of("payment_id"), payments.primaryKey());
        assertEquals(List.of("card_pan"), payments.pciColumns().stream().map(Catalog.Column::name).toList());
        assertEquals(Catalog.PartitionKind.MICRO_BATCH, payments.partitioning().kind());
        assertEquals(Catalog.PartitionKind.BUSINESS_DATE, catalog.dataset("ledger_settlements").partitioning().kind());
        assertEquals(java.util.Optional.of("created_at"), payments.partitioning().timeColumn());
        assertEquals("2026-11-02T10:15Z", payments.partitioning().windowKey(java.time.Instant.parse("2026-11-02T10:29:59.999Z")));
        assertEquals(java.util.Optional.of(java.time.Instant.parse("2026-11-02T10:15:00Z")),
                payments.partitioning().windowStart("2026-11-02T10:15Z"));
        assertEquals(java.util.Optional.empty(), payments.partitioning().windowStart("2026-11-02T10:20Z"),
                "not the start of a 15-minute window");
        assertEquals(java.util.Optional.empty(), catalog.dataset("ledger_settlements").partitioning()
                .windowStart("2026-11-02T10:15Z"), "a finance dataset has no windows");
        assertEquals(List.of("transactions", "refunds", "settlements", "processor_transactions", "balances"),
                catalog.curated().stream().map(Catalog.CuratedDataset::name).toList());
    }

    @Test
    void anUnknownColumnTypeIsReportedWithItsLine() throws IOException {
        copyRealCatalog();
        replace("sources/payments_ledger.yaml", "{ name: amount_minor, type: bigint,", "{ name: amount_minor, type: money,");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertTrue(e.errors().contains("sources/payments_ledger.yaml:" + lineOf("sources/payments_ledger.yaml",
                "type: money") + ": unknown type 'money' (use string, bigint, integer, boolean, date, timestamp or "
                + "decimal(p,s))"), e.getMessage());
    }

    @Test
    void aPrimaryKeyThatIsNotAColumnIsReported() throws IOException {
        copyRealCatalog();
        replace("sources/refunds_ledger.yaml", "primary_key: [refund_id]", "primary_key: [refund_uuid]");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertEquals(List.of("sources/refunds_ledger.yaml:" + lineOf("sources/refunds_ledger.yaml", "refund_uuid")
                + ": primary key column 'refund_uuid' is not a declared column"), e.errors());
    }

    @Test
    void aWindowTimeColumnMustBeADeclaredTimestampAndTheWindowMustTileADay() throws IOException {
        copyRealCatalog();
        replace("sources/payments_ledger.yaml", "window: PT15M, time_column: created_at",
                "window: PT7M, time_column: business_date");
        replace("sources/settlements_ledger.yaml", "partitioning: { kind: business_date }",
                "partitioning: { kind: business_date, time_column: created_at }");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        int line = lineOf("sources/payments_ledger.yaml", "PT7M");
        assertEquals(List.of(
                "sources/payments_ledger.yaml:" + line + ": micro-batch window must be whole minutes that divide a day "
                        + "evenly, not PT7M",
                "sources/payments_ledger.yaml:" + line + ": time_column 'business_date' must be a declared timestamp "
                        + "column",
                "sources/settlements_ledger.yaml:" + lineOf("sources/settlements_ledger.yaml", "time_column")
                        + ": 'time_column' applies only to micro_batch partitioning",
                "curated.yaml:" + lineOf("curated.yaml", "time_column: created_at") + ": curated dataset "
                        + "'transactions' has PT15M windows but its rows come from 'payments', which is not cut into "
                        + "the same windows"), e.errors());
    }

    @Test
    void anOpsFreshnessLooserThanTenMinutesIsReported() throws IOException {
        copyRealCatalog();
        replace("sources/processor_alpha.yaml", "freshness: PT10M", "freshness: PT30M");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertEquals(List.of("sources/processor_alpha.yaml:" + lineOf("sources/processor_alpha.yaml", "PT30M")
                + ": freshness PT30M is looser than the ops SLA of PT10M"), e.errors());
    }

    @Test
    void brokenYamlAndTyposAreReportedTogether() throws IOException {
        copyRealCatalog();
        replace("sources/settlements_ledger.yaml", "grain: one row", "grian: one row");
        replace("sources/northbank_partner.yaml", "delimiter: ','", "delimiter: [',',");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        int typoLine = lineOf("sources/settlements_ledger.yaml", "grian");
        int datasetLine = lineOf("sources/settlements_ledger.yaml", "- name: ledger_settlements");
        assertEquals(4, e.errors().size(), e.getMessage());
        assertEquals("sources/northbank_partner.yaml:" + lineOf("sources/northbank_partner.yaml", "cutoff:")
                + ": invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence started at line "
                + lineOf("sources/northbank_partner.yaml", "delimiter") + ")", e.errors().get(0));
        assertTrue(e.errors().get(1).startsWith("sources/settlements_ledger.yaml:" + typoLine
                + ": unknown key 'grian' in dataset (allowed: amount, "), e.getMessage());
        assertEquals("sources/settlements_ledger.yaml:" + datasetLine + ": dataset is missing 'grain'",
                e.errors().get(2));
        // The unreadable partner file takes its dataset with it, and what builds on that is reported too.
        assertEquals("curated.yaml:" + lineOf("curated.yaml", "built_from: [ledger_settlements, bank_settlement_lines]")
                + ": curated dataset 'settlements' is built from 'bank_settlement_lines', which is neither a source "
                + "dataset nor a curated dataset declared above it", e.errors().get(3));
    }

    @Test
    void aCuratedDatasetBuiltFromAnUnknownDatasetIsReported() throws IOException {
        copyRealCatalog();
        replace("curated.yaml", "built_from: [ledger_refunds]\n    rows_from: [ledger_refunds]",
                "built_from: [chargebacks]");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertEquals(List.of("curated.yaml:" + lineOf("curated.yaml", "chargebacks") + ": curated dataset 'refunds' "
                + "is built from 'chargebacks', which is neither a source dataset nor a curated dataset declared "
                + "above it"), e.errors());
    }

    @Test
    void aCuratedDatasetMayNotShareASourceDatasetsName() throws IOException {
        copyRealCatalog();
        replace("curated.yaml", "  - name: balances", "  - name: payments");

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertEquals("curated.yaml:" + lineOf("curated.yaml", "name: payments") + ": curated dataset 'payments' "
                + "has the name of a source dataset; readiness, rules and tables are keyed by dataset name",
                e.errors().get(0));
    }

    @Test
    void aMissingLayersFileIsReported() throws IOException {
        copyRealCatalog();
        Files.delete(dir.resolve("layers.yaml"));

        CatalogException e = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));

        assertEquals(List.of("layers.yaml:1: file is missing"), e.errors());
    }

    private void copyRealCatalog() throws IOException {
        try (Stream<Path> files = Files.walk(REAL)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(REAL.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = dir.resolve(file);
        String content = Files.readString(path);
        assertTrue(content.contains(from), file + " should contain " + from);
        Files.writeString(path, content.replaceFirst(java.util.regex.Pattern.quote(from), to));
    }

    private int lineOf(String file, String needle) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in " + file);
    }
}
