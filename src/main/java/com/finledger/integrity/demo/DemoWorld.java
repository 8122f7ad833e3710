package com.finledger.integrity.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.catalog.ColumnTypes;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.readiness.ReadinessCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Generates the demo FinLedger world: the three source ledgers (with their change logs, which the
 * local DMS stand-in replicates), the two processors' systems behind their APIs, and Northbank's
 * settlement report files dropped into the object store. Deterministic for a given {@link WorldSpec}.
 */
@ApplicationScoped
public class DemoWorld {

    private static final Logger LOG = Logger.getLogger(DemoWorld.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "EUR", "EUR", "GBP", "GBP", "GBP", "USD", "USD"};
    private static final String[] REFUND_REASONS = {"customer_request", "duplicate_charge", "fraud", "not_received"};
    private static final int MERCHANTS = 40;
    private static final int RESTART_REPLAYED_CHANGES = 40;
    private static final int SKIPPED_CHANGES = 5;

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    DemoSources demoSources;

    @Inject
    ObjectStore objectStore;

    @Inject
    AuditLog auditLog;

    @Inject
    ReadinessCache readinessCache;

    /** Replaces whatever world exists with the one the spec describes. */
    public void generate(WorldSpec spec, String actor) {
        long started = System.nanoTime();
        Catalog catalog = catalogService.catalog();
        for (String prefix : landingPrefixes(catalog)) {
            objectStore.deleteAll(prefix);
        }
        try (Connection c = dataSource.getConnection(); SourceConnections sources = new SourceConnections(c, catalog)) {
            c.setAutoCommit(false);
            reset(c, sources, catalog);
            createSourceTables(sources, catalog);
            Sequences seq = new Sequences();
            for (int day = 0; day < spec.days(); day++) {
                generateDay(c, sources, spec, day, seq);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("seed", spec.seed());
            details.put("first_business_date", spec.firstBusinessDate().toString());
            details.put("days", spec.days());
            details.put("scale", spec.scale());
            details.put("defects", spec.defects().stream().map(Defect::slug).sorted().toList());
            if (!spec.cases().isEmpty()) {
                details.put("cases", spec.cases().stream().map(DemoCase::slug).sorted().toList());
            }
            auditLog.append(c, actor, "demo_world.generated", "demo_world", Long.toString(spec.seed()), null,
                    details);
            // The source systems first: the control plane's record of the world describes committed sources.
            sources.commit();
            c.commit();
            readinessCache.invalidateAll();
        } catch (SQLException e) {
            throw new IllegalStateException("demo world generation failed: " + e.getMessage(), e);
        }
        LOG.infof("demo world generated: %d business days x %d payments, defects %s in %d ms", spec.days(),
                spec.paymentsPerDay(), spec.defects(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Everything the world and the pipeline's landings put in the object store: each source's landing prefix. */
    private static List<String> landingPrefixes(Catalog catalog) {
        List<String> prefixes = new ArrayList<>();
        for (Source source : catalog.sources()) {
            prefixes.add("landing/" + source.name() + "/");
            source.partnerDrop().map(Catalog.PartnerDrop::dropPrefix)
                    .filter(drop -> !drop.startsWith("landing/" + source.name() + "/")).ifPresent(prefixes::add);
        }
        return prefixes;
    }

    /**
     * One connection per source system's database, in a transaction of its own; a source system in
     * the application's database shares the control plane's connection and transaction.
     */
    private final class SourceConnections implements AutoCloseable {

        private final Map<String, Connection> bySource = new LinkedHashMap<>();
        private final List<Connection> own = new ArrayList<>();

        SourceConnections(Connection application, Catalog catalog) throws SQLException {
            try {
                for (Source source : catalog.sources()) {
                    if (source.kind() == SourceKind.PARTNER_FILES) {
                        continue;
                    }
                    if (demoSources.inApplicationDatabase(source)) {
                        bySource.put(source.name(), application);
                    } else {
                        Connection c = demoSources.of(source).getConnection();
                        own.add(c);
                        c.setAutoCommit(false);
                        bySource.put(source.name(), c);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                close();
                throw e;
            }
        }

        Connection of(String source) {
            return bySource.get(source);
        }

        boolean separate(String source) {
            return own.contains(bySource.get(source));
        }

        void commit() throws SQLException {
            for (Connection c : own) {
                c.commit();
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException failure = null;
            for (Connection c : own) {
                try {
                    c.close();
                } catch (SQLException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void reset(Connection c, SourceConnections sources, Catalog catalog) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Source source : catalog.sources()) {
                if (source.kind() != SourceKind.PARTNER_FILES) {
                    // also where the source system lives elsewhere: a copy left in the application's
                    // database by an earlier world must not pass for the source
                    s.execute("drop schema if exists " + Sql.ident(source.schema()) + " cascade");
                    if (sources.separate(source.name())) {
                        try (Statement own = sources.of(source.name()).createStatement()) {
                            own.execute("drop schema if exists " + Sql.ident(source.schema()) + " cascade");
                        }
                    }
                }
            }
            for (String layer : List.of("raw", "staging", "curated")) {
                s.execute("drop schema if exists " + layer + " cascade");
            }
            // A new world starts with a clean slate of everything derived from the old one; the audit
            // log is append-only and keeps the history, including this regeneration.
            s.execute("drop schema if exists closed cascade");
            if (Sql.tableExists(c, "quarantine", "quarantined_row")) {
                s.execute("truncate quarantine.quarantined_row");
            }
            s.execute("truncate landed_window, landed_object, cdc_checkpoint, pipeline_run, demo_injected_fault, "
                    + "control_result, rule_result, control_total, readiness_override, partition_readiness, evaluation, "
                    + "local_dms_table_stats, local_dms_event, pull_attempt, pull_window, warehouse_load, period_snapshot, "
                    + "partner_file, intake_rejected_message, partner_file_expectation, break_event, break_case, match_run");
            s.execute("drop schema if exists recon cascade");
            // month-end closes of the old world (the audit log keeps their history)
            // recovery jobs of the old world and the local DMS tasks' stopped/failed states (issue 17)
            s.execute("truncate recovery_job, local_dms_task");
            s.execute("truncate close_rerun, close_evidence, close_pinned_object, close_signed_total, close_event, close_period");
            // the old world's lineage: its runs share the new world's partition keys and would answer its
            // traces with objects that no longer exist (raw events refuse update and delete, not truncate); the
            // old world's dbt runs go with it, or re-recording them would bring that lineage back
            s.execute("truncate lineage_event, lineage_run_partition, lineage_column_edge, lineage_job_io, lineage_run_io, "
                    + "lineage_dataset_version, lineage_run, lineage_job, lineage_dataset, lineage_namespace, "
                    + "dbt_node_result, dbt_invocation");
        }
    }

    private void createSourceTables(SourceConnections sources, Catalog catalog) throws SQLException {
        for (Source source : catalog.sources()) {
            if (source.kind() == SourceKind.PARTNER_FILES) {
                continue;
            }
            try (Statement s = sources.of(source.name()).createStatement()) {
                s.execute("create schema " + Sql.ident(source.schema()));
                for (Dataset d : source.datasets()) {
                    String columns = d.columns().stream()
                            .map(col -> col.name() + " " + ColumnTypes.postgres(col.type())
                                    + (col.nullable() ? "" : " not null"))
                            .collect(Collectors.joining(", "));
                    String table = Sql.qualified(source.schema(), d.table());
                    s.execute("create table " + table + " (" + columns + ", primary key ("
                            + String.join(", ", d.primaryKey()) + "))");
                    if (source.kind() == SourceKind.POSTGRES_CDC) {
                        // The ledger's write-ahead log as DMS would read it: one row per committed change.
                        s.execute("create table " + table + "_changes (change_seq bigint primary key, "
                                + "op char(1) not null, commit_ts timestamptz not null, " + columns.replace(
                                " not null", "") + ")");
                    }
                }
            }
        }
    }

    /** Change sequence numbers per ledger, like an LSN: strictly increasing in commit order. */
    private static final class Sequences {
        long payments;
        long refunds;
        long settlements;
    }

    private record Change(Instant commitTs, char op, String[] row) {
    }

    private void generateDay(Connection c, SourceConnections sources, WorldSpec spec, int day, Sequences seq)
            throws SQLException {
        LocalDate date = spec.firstBusinessDate().plusDays(day);
        SplittableRandom random = new SplittableRandom(spec.seed() * 31 + day);
        String ymd = date.format(COMPACT);
        Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = dayStart.plusSeconds(86_400).minusMillis(1);
        int n = spec.paymentsPerDay();
        long spacingMicros = 86_400_000_000L / n;

        StringBuilder payments = new StringBuilder();
        List<Change> paymentChanges = new ArrayList<>(n * 2);
        StringBuilder refunds = new StringBuilder();
        List<Change> refundChanges = new ArrayList<>();
        StringBuilder settlements = new StringBuilder();
        List<Change> settlementChanges = new ArrayList<>();
        Map<String, StringBuilder> processorRows = new LinkedHashMap<>();
        processorRows.put("alpha", new StringBuilder());
        processorRows.put("beta", new StringBuilder());
        StringBuilder bankFile = new StringBuilder("line_reference,settlement_reference,value_date,amount,currency,account\n");
        int refundNo = 0;
        int settlementNo = 0;
        boolean settlementSkipped = false;
        boolean alphaMismatched = false;
        List<String> payout = new ArrayList<>();
        long payoutNet = 0;
        boolean fxPlaced = false;
        boolean refundUnconfirmed = false;

        for (int i = 1; i <= n; i++) {
            String paymentId = String.format("PAY-%s-%07d", ymd, i);
            String merchant = String.format("M-%03d", 1 + random.nextInt(MERCHANTS));
            String processor = random.nextInt(100) < 55 ? "alpha" : "beta";
            String pan = pan(random);
            long amount = 100 + random.nextLong(49_900);
            if (random.nextInt(10) == 0) {
                amount += random.nextLong(450_000);
            }
            String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
            Instant created = dayStart.plusNanos((i - 1) * spacingMicros * 1000 + random.nextLong(spacingMicros) * 1000);
            boolean declined = random.nextInt(100) < 4;
            boolean deleted = random.nextInt(1000) == 0;
            String status = declined ? "DECLINED" : "CAPTURED";
            String[] row = {paymentId, merchant, processor, pan, Long.toString(amount), currency, status,
                    created.toString(), date.toString()};
            String[] authorized = row.clone();
            authorized[6] = "AUTHORIZED";
            paymentChanges.add(new Change(created, 'I', authorized));
            Instant decided = min(created.plusSeconds(2), dayEnd);
            if (deleted) {
                paymentChanges.add(new Change(min(created.plusSeconds(5), dayEnd), 'D', authorized));
                continue;
            }
            paymentChanges.add(new Change(decided, 'U', row));
            csv(payments, row);
            if (declined) {
                continue;
            }
            Instant captured = decided;
            long fee = (amount * 19 + 500) / 1000;
            String txnAmount = Long.toString(amount);
            if (processor.equals("alpha") && day == 0 && !alphaMismatched && spec.has(Defect.AMOUNT_MISMATCH)) {
                alphaMismatched = true;
                txnAmount = Long.toString(amount + 100);
                fault(c, Defect.AMOUNT_MISMATCH, "alpha_transactions", date, Map.of("payment_id", paymentId,
                        "ledger_amount_minor", amount, "processor_amount_minor", amount + 100, "currency", currency));
            }
            csv(processorRows.get(processor), String.format("%s-%s-%07d", processor.substring(0, 1).toUpperCase(), ymd, i),
                    paymentId, pan, txnAmount, Long.toString(fee), currency, "CAPTURED", captured.toString(),
                    captured.toString(), date.toString());

            settled:
            if (day == 0 && !settlementSkipped && spec.has(Defect.MISSING_SETTLEMENT)) {
                settlementSkipped = true;
                fault(c, Defect.MISSING_SETTLEMENT, "ledger_settlements", date, Map.of("payment_id", paymentId,
                        "amount_minor", amount, "currency", currency));
            } else {
                settlementNo++;
                String settlementId = String.format("SET-%s-%07d", ymd, settlementNo);
                String[] settlement = {settlementId, paymentId, processor, Long.toString(amount), Long.toString(fee),
                        currency, dayEnd.minusSeconds(1800).toString(), date.toString()};
                csv(settlements, settlement);
                settlementChanges.add(new Change(dayEnd.minusSeconds(1800), 'I', settlement));
                String lineAmount = java.math.BigDecimal.valueOf(amount, 2).toPlainString();
                String lineCurrency = currency;
                if (day == 0 && spec.has(DemoCase.NETTED_PAYOUT) && processor.equals("beta") && currency.equals("EUR")
                        && payout.size() < DemoCase.PAYOUT_SETTLEMENTS) {
                    // credited later as one payout line net of fees, not line by line
                    payout.add(settlementId);
                    payoutNet += amount - fee;
                    break settled;
                }
                if (day == 0 && spec.has(DemoCase.FX_SETTLEMENT) && !fxPlaced && currency.equals("USD")) {
                    fxPlaced = true;
                    lineCurrency = "EUR";
                    lineAmount = java.math.BigDecimal.valueOf(amount, 2).multiply(new java.math.BigDecimal(DemoCase.FX_RATE))
                            .setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
                    fault(c, DemoCase.FX_SETTLEMENT.faultKey(), "bank_settlement_lines", date, Map.of("settlement_id",
                            settlementId, "amount_minor", amount, "currency", currency, "bank_amount", lineAmount,
                            "bank_currency", lineCurrency));
                }
                csv(bankFile, String.format("NB-%s-%07d", ymd, settlementNo), settlementId, date.toString(),
                        lineAmount, lineCurrency, "NB-" + lineCurrency + "-001");
            }
            if (random.nextInt(100) < 5) {
                refundNo++;
                long refundAmount = random.nextBoolean() ? amount : amount / 2;
                Instant refunded = min(created.plusSeconds(3600), dayEnd);
                String[] refund = {String.format("REF-%s-%07d", ymd, refundNo), paymentId, Long.toString(refundAmount),
                        currency, REFUND_REASONS[random.nextInt(REFUND_REASONS.length)], refunded.toString(),
                        date.toString()};
                csv(refunds, refund);
                refundChanges.add(new Change(refunded, 'I', refund));
                // the processor confirms the refund a moment later as a REFUNDED record of its transactions API
                Instant processed = min(refunded.plusSeconds(2), dayEnd);
                if (day == 0 && !refundUnconfirmed && processor.equals("alpha") && spec.has(DemoCase.UNCONFIRMED_REFUND)) {
                    refundUnconfirmed = true;
                    fault(c, DemoCase.UNCONFIRMED_REFUND.faultKey(), "alpha_transactions", date, Map.of("refund_id",
                            refund[0], "payment_id", paymentId, "amount_minor", refundAmount, "currency", currency));
                } else {
                    csv(processorRows.get(processor), String.format("%s-%s-R%06d", processor.substring(0, 1).toUpperCase(),
                            ymd, refundNo), paymentId, pan, Long.toString(refundAmount), "0", currency, "REFUNDED",
                            processed.toString(), processed.toString(), date.toString());
                }
            }
        }
        if (!payout.isEmpty()) {
            String reference = "PAYOUT-beta-" + date + "-EUR";
            csv(bankFile, String.format("NB-%s-PAYOUT-01", ymd), reference, date.toString(),
                    java.math.BigDecimal.valueOf(payoutNet, 2).toPlainString(), "EUR", "NB-EUR-001");
            fault(c, DemoCase.NETTED_PAYOUT.faultKey(), "bank_settlement_lines", date, Map.of("settlement_reference",
                    reference, "settlement_ids", payout, "net_minor", payoutNet, "currency", "EUR"));
        }
        if (day == Math.min(1, spec.days() - 1) && spec.has(Defect.ORPHAN_REFUND)) {
            refundNo++;
            String missingPayment = String.format("PAY-%s-%07d", ymd, 9_999_999);
            String refundId = String.format("REF-%s-%07d", ymd, refundNo);
            Instant at = dayStart.plusSeconds(43_200);
            String[] refund = {refundId, missingPayment, "2500", "EUR", "customer_request", at.toString(),
                    date.toString()};
            csv(refunds, refund);
            refundChanges.add(new Change(at, 'I', refund));
            fault(c, Defect.ORPHAN_REFUND, "ledger_refunds", date, Map.of("refund_id", refundId,
                    "payment_id", missingPayment));
        }

        copy(sources.of("payments_ledger"), "src_payments.payments", payments);
        long lastPaymentSeq = copyChanges(sources.of("payments_ledger"), "src_payments.payments_changes", paymentChanges, seq.payments);
        if (day == Math.min(1, spec.days() - 1) && spec.has(Defect.CDC_RESTART_DUPLICATES)) {
            long from = Math.max(seq.payments + 1, lastPaymentSeq - RESTART_REPLAYED_CHANGES + 1);
            fault(c, Defect.CDC_RESTART_DUPLICATES, "payments", date, Map.of("from_change_seq", from,
                    "to_change_seq", lastPaymentSeq));
        }
        seq.payments = lastPaymentSeq;
        copy(sources.of("refunds_ledger"), "src_refunds.refunds", refunds);
        long lastRefundSeq = copyChanges(sources.of("refunds_ledger"), "src_refunds.refunds_changes", refundChanges, seq.refunds);
        if (day == spec.days() - 1 && spec.has(Defect.SKIPPED_CHANGE_RANGE) && refundChanges.size() >= 3) {
            int skipped = Math.min(SKIPPED_CHANGES, refundChanges.size() / 3);
            long from = seq.refunds + refundChanges.size() / 3 + 1;
            fault(c, Defect.SKIPPED_CHANGE_RANGE, "ledger_refunds", date, Map.of("from_change_seq", from,
                    "to_change_seq", from + skipped - 1, "table", "src_refunds.refunds"));
        }
        seq.refunds = lastRefundSeq;
        copy(sources.of("settlements_ledger"), "src_settlements.settlements", settlements);
        seq.settlements = copyChanges(sources.of("settlements_ledger"), "src_settlements.settlements_changes", settlementChanges, seq.settlements);
        copy(sources.of("processor_alpha"), "src_processor_alpha.transactions", processorRows.get("alpha"));
        if (day == Math.min(1, spec.days() - 1) && spec.has(Defect.API_WINDOW_GAP)) {
            fault(c, Defect.API_WINDOW_GAP, "alpha_transactions", date, Map.of("source", "processor_alpha",
                    "window_from", dayStart.toString(), "window_to", dayStart.plusSeconds(86_400).toString()));
        }
        copy(sources.of("processor_beta"), "src_processor_beta.transactions", processorRows.get("beta"));
        dropBankFiles(c, spec, day, date, bankFile.toString());
        if (day == spec.days() - 1 && spec.has(Defect.SCHEMA_DRIFT)) {
            fault(c, Defect.SCHEMA_DRIFT, "beta_transactions", date, Map.of("renamed", Map.of("currency",
                    "currency_code"), "added", List.of("surcharge_minor")));
        }
    }

    private void dropBankFiles(Connection c, WorldSpec spec, int day, LocalDate date, String content)
            throws SQLException {
        Catalog.PartnerDrop drop = catalogService.catalog().source("northbank_partner").partnerDrop().orElseThrow();
        ZoneId zone = ZoneId.of(drop.timeZone());
        LocalTime cutoff = LocalTime.parse(drop.cutoff());
        String name = "settlement_report_" + date.format(COMPACT);
        byte[] bytes = (content + trailer(content)).getBytes(StandardCharsets.UTF_8);
        Instant arrival = date.plusDays(1).atTime(cutoff.minusMinutes(90)).atZone(zone).toInstant();
        if (day == spec.days() - 1 && spec.has(Defect.LATE_PARTNER_FILE)) {
            arrival = date.plusDays(1).atTime(14, 10).atZone(zone).toInstant();
            fault(c, Defect.LATE_PARTNER_FILE, "bank_settlement_lines", date, Map.of("object_key",
                    drop.dropPrefix() + name + ".csv", "arrived_at", arrival.toString(), "cutoff", drop.cutoff()));
        }
        objectStore.put(drop.dropPrefix() + name + ".csv", bytes, arrival, Map.of("partner", "northbank"));
        if (day == 0 && spec.has(Defect.RESENT_PARTNER_FILE)) {
            Instant resent = date.plusDays(1).atTime(9, 5).atZone(zone).toInstant();
            objectStore.put(drop.dropPrefix() + name + "_resend.csv", bytes, resent, Map.of("partner", "northbank"));
            fault(c, Defect.RESENT_PARTNER_FILE, "bank_settlement_lines", date, Map.of("object_key",
                    drop.dropPrefix() + name + "_resend.csv", "original_key", drop.dropPrefix() + name + ".csv"));
        }
    }

    /** Northbank's trailer: TRAILER,<lines>,<currency>=<total>;… over the report's lines. */
    static String trailer(String report) {
        java.util.Map<String, java.math.BigDecimal> totals = new java.util.TreeMap<>();
        long lines = 0;
        for (String line : report.split("\n")) {
            if (line.isEmpty() || line.startsWith("line_reference,")) {
                continue;
            }
            String[] f = line.split(",");
            totals.merge(f[4], new java.math.BigDecimal(f[3]), java.math.BigDecimal::add);
            lines++;
        }
        StringBuilder t = new StringBuilder("TRAILER,").append(lines).append(',');
        totals.forEach((currency, total) -> t.append(t.charAt(t.length() - 1) == ',' ? "" : ";").append(currency)
                .append('=').append(total.toPlainString()));
        return t.append('\n').toString();
    }

    private static long copyChanges(Connection c, String table, List<Change> changes, long lastSeq)
            throws SQLException {
        changes.sort(Comparator.comparing(Change::commitTs));
        StringBuilder csv = new StringBuilder();
        long seq = lastSeq;
        for (Change change : changes) {
            seq++;
            csv.append(seq).append(',').append(change.op()).append(',').append(change.commitTs());
            for (String v : change.row()) {
                csv.append(',').append(v);
            }
            csv.append('\n');
        }
        copy(c, table, csv);
        return seq;
    }

    private static void copy(Connection c, String table, CharSequence csv) throws SQLException {
        if (csv.isEmpty()) {
            return;
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy " + table + " from stdin with (format csv)", new StringReader(csv.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("copy into " + table + " failed", e);
        }
    }

    private static void csv(StringBuilder out, String... values) {
        out.append(String.join(",", values)).append('\n');
    }

    private static void fault(Connection c, Defect defect, String dataset, LocalDate date, Map<String, ?> detail)
            throws SQLException {
        fault(c, defect.slug(), dataset, date, detail);
    }

    private static void fault(Connection c, String key, String dataset, LocalDate date, Map<String, ?> detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into demo_injected_fault (defect, dataset, business_date, detail) values (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, key);
            ps.setString(2, dataset);
            ps.setObject(3, date);
            ps.setString(4, JSON.writeValueAsString(detail));
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 16-digit test card number with a valid Luhn check digit. */
    static String pan(SplittableRandom random) {
        int[] digits = new int[16];
        digits[0] = 4;
        for (int i = 1; i < 15; i++) {
            digits[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = 14; i >= 0; i--) {
            int d = digits[i];
            if ((14 - i) % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        digits[15] = (10 - sum % 10) % 10;
        StringBuilder pan = new StringBuilder();
        for (int d : digits) {
            pan.append(d);
        }
        return pan.toString();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
