package com.finledger.integrity.close;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.lineage.LineageTraces;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;

/**
 * The evidence pack of a closed month: a zip of machine-readable JSON (evidence.json: the numbers as signed,
 * rule results, breaks, exceptions, approvals, the raw-object manifest; lineage/*.json: each finance
 * partition's trace to its landing objects) and a readable report.pdf, with MANIFEST.sha256 (the SHA-256 of
 * every other entry, in sha256sum's format) and SEAL.sha256 (the SHA-256 of the manifest, also in that
 * format). The seal is recorded in the audit log. Anyone holding only the archive checks it with
 * {@code sha256sum -c SEAL.sha256 && sha256sum -c MANIFEST.sha256} in the unzipped folder, or with the
 * python3 one-liner in the README (which also refuses entries the manifest does not list).
 */
@ApplicationScoped
public class EvidencePack {

    public static final String FORMAT = "finledger-close-evidence/1";
    public static final String MANIFEST = "MANIFEST.sha256";
    public static final String SEAL = "SEAL.sha256";

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Inject
    DataSource dataSource;

    @Inject
    CloseChecklist checklist;

    @Inject
    LineageTraces traces;

    @Inject
    Clock clock;

    /** Builds, seals and stores the pack of the period's current round (inside the approval's transaction). */
    public CloseEvidence build(ClosePeriod p) {
        long started = System.nanoTime();
        Map<String, byte[]> entries = contents(p);
        byte[] zip = seal(entries, p.approvedAt == null ? clock.instant() : p.approvedAt);
        CloseEvidence e = CloseEvidence.of(p.id, p.signoffRound).orElseGet(CloseEvidence::new);
        e.periodId = p.id;
        e.signoffRound = p.signoffRound;
        e.archive = zip;
        e.sizeBytes = zip.length;
        e.sealSha256 = sealOf(entries);
        e.builtAt = clock.instant();
        e.buildMillis = (System.nanoTime() - started) / 1_000_000;
        e.persist();
        return e;
    }

    /** Every entry but the manifest and the seal, by name in archive order. */
    Map<String, byte[]> contents(ClosePeriod p) {
        YearMonth month = p.month();
        List<CloseSignedTotal> signed = CloseSignedTotal.of(p.id, p.signoffRound);
        List<ClosePinnedObject> pinned = ClosePinnedObject.of(p.id, p.signoffRound);
        CloseChecklist.Checklist now = checklist.of(month);
        List<Map<String, Object>> rules = ruleResults(month);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("period", p.period);
        doc.put("state", p.state.name());
        doc.put("signoff_round", p.signoffRound);
        doc.put("signed_off_by", p.signedOffBy);
        doc.put("signed_off_at", p.signedOffAt);
        doc.put("signoff_note", p.signoffNote);
        doc.put("approved_by", p.approvedBy);
        doc.put("approved_at", p.approvedAt);
        doc.put("signed_totals_sha256", CloseService.signedTotalsDigest(p));
        doc.put("finance_datasets", now.datasets());
        doc.put("checklist", now.items());
        List<Map<String, Object>> totals = new ArrayList<>();
        for (CloseSignedTotal t : signed) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dataset", t.dataset);
            row.put("partition", t.partitionKey);
            row.put("layer", t.layer);
            row.put("rows", t.rowCount);
            row.put("distinct_keys", t.distinctKeys);
            row.put("key_fingerprint", t.keyFingerprint);
            row.put("amounts_minor", Amounts.fromJson(t.amounts).asMap());
            totals.add(row);
        }
        doc.put("control_totals", totals);
        doc.put("layer_totals", signedLayerTotals(signed));
        doc.put("rule_results", rules);
        Map<String, Object> breaks = new LinkedHashMap<>();
        breaks.put("open", now.openBreaks());
        breaks.put("at_risk_minor", now.atRisk());
        doc.put("breaks", breaks);
        doc.put("exceptions", now.exceptions());
        List<Map<String, Object>> approvals = new ArrayList<>();
        for (CloseEvent e : CloseEvent.of(p.id)) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("at", e.occurredAt);
            a.put("actor", e.actor);
            a.put("step", e.kind);
            a.put("from", e.fromState);
            a.put("to", e.toState);
            a.put("reason", e.reason);
            approvals.add(a);
        }
        doc.put("approvals", approvals);
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (ClosePinnedObject o : pinned) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", o.dataset);
            m.put("business_date", o.businessDate);
            m.put("key", o.objectKey);
            m.put("version_id", o.versionId);
            m.put("sha256", o.sha256);
            m.put("size_bytes", o.sizeBytes);
            m.put("rows", o.rowCount);
            manifest.add(m);
        }
        doc.put("raw_objects", manifest);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, String> lineageFiles = new TreeMap<>();
        Map<String, byte[]> lineage = new TreeMap<>();
        for (CloseChecklist.Item item : now.items()) {
            if (item.dataset().equals("—")) {
                continue;
            }
            String name = ("lineage/" + item.dataset() + "_" + item.partition() + ".json").replaceAll("[^A-Za-z0-9._/-]", "_");
            Object trace;
            try {
                trace = traces.partition(item.dataset(), item.partition(), p.signedOffAt, 10);
            } catch (NoSuchElementException e) {
                trace = Map.of("subject", item.dataset() + " " + item.partition(), "missing", e.getMessage());
            }
            lineage.put(name, json(trace));
            lineageFiles.put(item.dataset() + "/" + item.partition(), name);
        }
        doc.put("lineage_traces", lineageFiles);
        entries.put("evidence.json", json(doc));
        entries.putAll(lineage);
        entries.put("report.pdf", EvidenceReport.pdf(p, signed, signedLayerTotals(signed), rules, now, pinned,
                lineageFiles));
        entries.put("README.txt", readme(p).getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    static List<Map<String, Object>> signedLayerTotals(List<CloseSignedTotal> signed) {
        Map<String, Map<String, BigDecimal>> amounts = new LinkedHashMap<>();
        Map<String, Long> rows = new TreeMap<>();
        for (String layer : List.of("source", "landing", "raw", "staging", "curated")) {
            amounts.put(layer, new TreeMap<>());
        }
        for (CloseSignedTotal t : signed) {
            rows.merge(t.layer, t.rowCount, Long::sum);
            Amounts.fromJson(t.amounts).asMap().forEach((c, v) -> amounts.computeIfAbsent(t.layer, k -> new TreeMap<>())
                    .merge(c, v, BigDecimal::add));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        amounts.forEach((layer, byCurrency) -> byCurrency.forEach((c, v) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", layer);
            row.put("currency", c);
            row.put("amount_minor", v.toPlainString());
            row.put("rows", rows.get(layer));
            out.add(row);
        }));
        return out;
    }

    private List<Map<String, Object>> ruleResults(YearMonth month) {
        return Jdbc.query(dataSource, """
                select r.dataset, r.partition_key, r.rule_name, r.rule_type, r.severity, r.passed, r.failed_rows,
                       r.released_rows, r.message
                from rule_result r join partition_readiness p
                  on p.last_evaluation_id = r.evaluation_id and p.dataset = r.dataset and p.partition_key = r.partition_key
                where p.dataset = any(?::text[]) and p.partition_key between ? and ? and p.partition_key not like '%T%'
                order by 1, 2, 3""", List.of(checklist.financeDatasets().toArray(String[]::new), month.atDay(1).toString(),
                month.atEndOfMonth().toString()), rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("dataset", rs.getString(1));
                    m.put("partition", rs.getString(2));
                    m.put("rule", rs.getString(3));
                    m.put("type", rs.getString(4));
                    m.put("severity", rs.getString(5));
                    m.put("passed", rs.getBoolean(6));
                    m.put("failed_rows", rs.getLong(7));
                    m.put("released_rows", rs.getLong(8));
                    m.put("message", rs.getString(9));
                    return m;
                });
    }

    static String readme(ClosePeriod p) {
        return """
                FinLedger Integrity: evidence pack of the month-end close %s (sign-off round %d)

                evidence.json   the numbers as signed (control totals per partition and layer), rule results,
                                open breaks and amount at risk, approved exceptions, approvals, raw objects
                lineage/*.json  each finance partition's lineage trace down to its landing objects
                report.pdf      the same, readable
                MANIFEST.sha256 SHA-256 of every entry above (sha256sum format)
                SEAL.sha256     SHA-256 of MANIFEST.sha256: the seal recorded in the audit log (close.evidence_sealed)

                Verify with nothing but this archive:
                  unzip -d pack evidence.zip && cd pack && sha256sum -c SEAL.sha256 && sha256sum -c MANIFEST.sha256
                """.formatted(p.period, p.signoffRound);
    }

    /** SHA-256 of the manifest of the entries. */
    static String sealOf(Map<String, byte[]> entries) {
        return Sha256.hex(manifest(entries));
    }

    static byte[] manifest(Map<String, byte[]> entries) {
        StringBuilder m = new StringBuilder();
        entries.forEach((name, bytes) -> m.append(Sha256.hex(bytes)).append("  ").append(name).append('\n'));
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The archive: entries, manifest and seal, with a fixed time on every entry. */
    static byte[] seal(Map<String, byte[]> entries, Instant at) {
        byte[] manifest = manifest(entries);
        byte[] seal = (Sha256.hex(manifest) + "  " + MANIFEST + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            Map<String, byte[]> all = new LinkedHashMap<>(entries);
            all.put(MANIFEST, manifest);
            all.put(SEAL, seal);
            for (var e : all.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(at.toEpochMilli());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What an offline check finds: the seal if everything holds, else every problem. */
    public record Verification(boolean valid, String seal, List<String> problems) {
    }

    /** The same check as the documented command, for the API and the tests. */
    public static Verification verify(byte[] archive) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (entries.put(e.getName(), zip.readAllBytes()) != null) {
                    problems.add(e.getName() + ": appears twice");
                }
            }
        } catch (IOException e) {
            return new Verification(false, null, List.of("not a readable zip archive: " + e.getMessage()));
        }
        byte[] manifest = entries.remove(MANIFEST);
        byte[] seal = entries.remove(SEAL);
        if (manifest == null || seal == null) {
            return new Verification(false, null, List.of("the archive has no " + MANIFEST + " or no " + SEAL));
        }
        String sealHex = Sha256.hex(manifest);
        if (!new String(seal, StandardCharsets.UTF_8).equals(sealHex + "  " + MANIFEST + "\n")) {
            problems.add(SEAL + ": the manifest's SHA-256 is " + sealHex + ", not the sealed one");
        }
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                listed.put(line.substring(66), line.substring(0, 64));
            }
        }
        listed.forEach((name, hash) -> {
            byte[] bytes = entries.get(name);
            if (bytes == null) {
                problems.add(name + ": listed in the manifest but missing");
            } else if (!Sha256.hex(bytes).equals(hash)) {
                problems.add(name + ": its SHA-256 differs from the manifest's");
            }
        });
        entries.keySet().stream().filter(n -> !listed.containsKey(n)).forEach(n -> problems.add(n + ": not in the manifest"));
        return new Verification(problems.isEmpty(), problems.isEmpty() ? sealHex : null, problems);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
