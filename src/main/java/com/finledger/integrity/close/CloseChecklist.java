package com.finledger.integrity.close;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.finledger.integrity.breaks.BreakCase;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionReadiness;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What a month's close stands on, read fresh: every finance dataset's partitions of the month with their
 * readiness, their newest control totals at every layer (summed per layer and currency), the open
 * reconciliation breaks of the month with their amount at risk, and the approved exceptions. Anything
 * not ready is a blocking item that links to the page where it can be fixed.
 */
@ApplicationScoped
public class CloseChecklist {

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalog;

    @Inject
    ReadinessService readiness;

    public record Item(String dataset, String partition, String state, String stateLabel, boolean blocking,
                       String why, String fixHref) {
    }

    /** A partition's newest control totals at one layer. */
    public record PartitionTotal(String dataset, String partition, String layer, long rows, Long distinctKeys,
                                 Long keyFingerprint, @JsonIgnore Amounts amounts) {

        /** Minor units per currency as exact decimal strings. */
        @JsonProperty("amounts")
        public Map<String, String> amountsMinor() {
            Map<String, String> out = new TreeMap<>();
            amounts.asMap().forEach((c, v) -> out.put(c, v.toPlainString()));
            return out;
        }

        public String key() {
            return dataset + "/" + partition + "/" + layer;
        }
    }

    /** A layer's rows and amount in one currency, summed over the month's finance partitions. */
    public record LayerTotal(String layer, String currency, @JsonFormat(shape = JsonFormat.Shape.STRING)
                             @org.eclipse.microprofile.openapi.annotations.media.Schema(type =
                                     org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                     description = "exact minor units as a decimal string") BigDecimal amountMinor,
                             long rows) {
    }

    public record OpenBreak(long id, String rule, String reason, String severity, LocalDate businessDate,
                            long amountAtRiskMinor, String currency, String href) {
    }

    public record Exception(long overrideId, String dataset, String partition, String requestedBy,
                            String requestReason, String approvedBy, String decisionReason, Instant decidedAt) {
    }

    public record Checklist(String period, List<String> datasets, List<Item> items, List<PartitionTotal> totals,
                            List<LayerTotal> layerTotals, List<OpenBreak> openBreaks, Map<String, BigDecimal> atRisk,
                            List<Exception> exceptions) {

        @JsonIgnore
        public List<Item> blocking() {
            return items.stream().filter(Item::blocking).toList();
        }

        @JsonIgnore
        public boolean clear() {
            return blocking().isEmpty();
        }
    }

    /** The finance datasets of the catalog (sources and curated), in catalog order. */
    public List<String> financeDatasets() {
        Catalog c = catalog.catalog();
        return Stream.concat(c.datasets().filter(d -> d.slaClass() == Catalog.SlaClass.FINANCE).map(Catalog.Dataset::name),
                c.curated().stream().filter(d -> d.slaClass() == Catalog.SlaClass.FINANCE)
                        .map(Catalog.CuratedDataset::name)).toList();
    }

    /** The source datasets a finance dataset's rows come from, through curated inputs: whose raw objects build it. */
    public Set<String> rawDatasets() {
        Catalog c = catalog.catalog();
        Set<String> sources = new TreeSet<>();
        List<String> todo = new ArrayList<>(financeDatasets());
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.remove(todo.size() - 1);
            if (!seen.add(name)) {
                continue;
            }
            var curated = c.curated().stream().filter(d -> d.name().equals(name)).findFirst();
            if (curated.isPresent()) {
                todo.addAll(curated.get().builtFrom());
            } else if (c.datasets().anyMatch(d -> d.name().equals(name))) {
                sources.add(name);
            }
        }
        return sources;
    }

    public Checklist of(YearMonth month) {
        String from = month.atDay(1).toString();
        String to = month.atEndOfMonth().toString();
        List<String> datasets = financeDatasets();
        String[] names = datasets.toArray(String[]::new);
        Set<String> dates = new TreeSet<>(Jdbc.query(dataSource, """
                select distinct partition_key from partition_readiness
                where dataset = any(?::text[]) and partition_key between ? and ? and partition_key not like '%T%'""",
                List.of(names, from, to), rs -> rs.getString(1)));
        List<String[]> wanted = new ArrayList<>();
        for (String date : dates) {
            for (String d : datasets) {
                wanted.add(new String[] {d, date});
            }
        }
        Map<String, PartitionReadiness> found = new TreeMap<>();
        for (PartitionReadiness r : readiness.findAll(wanted)) {
            found.put(r.dataset() + "/" + r.partition(), r);
        }
        Set<String> pendingOverrides = new TreeSet<>(Jdbc.query(dataSource, """
                select dataset || '/' || partition_key from readiness_override
                where decision is null and dataset = any(?::text[]) and partition_key between ? and ?""",
                List.of(names, from, to), rs -> rs.getString(1)));
        List<Item> items = new ArrayList<>();
        if (dates.isEmpty()) {
            items.add(new Item("—", month.toString(), "NONE", "Nothing yet", true,
                    "no finance partition of " + month + " has been evaluated", "/readiness"));
        }
        for (String[] w : wanted) {
            String href = "/readiness/" + w[0] + "/" + w[1];
            PartitionReadiness r = found.get(w[0] + "/" + w[1]);
            if (r == null) {
                // nothing arrived nor was expected for this dataset on that date (an expected file that is
                // missing creates its partition, which then blocks)
                continue;
            }
            boolean usable = r.state().usable();
            String why = usable ? (r.state() == ReadinessState.READY_WITH_EXCEPTION ? "approved exception" : "")
                    : r.state() == ReadinessState.BLOCKED
                    ? (pendingOverrides.contains(w[0] + "/" + w[1]) ? "blocked; an override waits for a second person"
                            : "blocked: fix the break or ask for an override")
                    : "not ready yet (" + r.state().label().toLowerCase() + ")";
            items.add(new Item(w[0], w[1], r.state().name(), r.state().label(), !usable, why, href));
        }
        List<PartitionTotal> totals = Jdbc.query(dataSource, """
                select distinct on (dataset, partition_key, layer) dataset, partition_key, layer, row_count, distinct_keys,
                       key_fingerprint, coalesce(amounts, row_amounts)::text
                from control_total
                where dataset = any(?::text[]) and partition_key between ? and ? and partition_key not like '%T%'
                order by dataset, partition_key, layer, version desc""", List.of(names, from, to),
                rs -> new PartitionTotal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        (Long) rs.getObject(5), (Long) rs.getObject(6), Amounts.fromJson(rs.getString(7))));
        List<OpenBreak> open = openBreaks(month);
        return new Checklist(month.toString(), datasets, items, totals, layerTotals(totals), open, atRisk(open),
                exceptions(names, from, to));
    }

    static List<LayerTotal> layerTotals(List<PartitionTotal> totals) {
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        Map<String, Long> rows = new TreeMap<>();
        for (PartitionTotal t : totals) {
            rows.merge(t.layer(), t.rows(), Long::sum);
            Map<String, BigDecimal> layer = amounts.computeIfAbsent(t.layer(), k -> new TreeMap<>());
            t.amounts().asMap().forEach((c, v) -> layer.merge(c, v, BigDecimal::add));
        }
        List<LayerTotal> out = new ArrayList<>();
        for (String layer : List.of("source", "landing", "raw", "staging", "curated")) {
            amounts.getOrDefault(layer, Map.of()).forEach((c, v) -> out.add(new LayerTotal(layer, c, v, rows.get(layer))));
        }
        return out;
    }

    List<OpenBreak> openBreaks(YearMonth month) {
        List<BreakCase> open = BreakCase.list("state in ?1 and businessDate between ?2 and ?3 order by amountAtRiskMinor desc, id",
                List.of(BreakCase.State.OPEN, BreakCase.State.INVESTIGATING), month.atDay(1), month.atEndOfMonth());
        return open.stream().map(b -> new OpenBreak(b.id, b.ruleName, b.reason.name(), b.severity.name(), b.businessDate,
                b.amountAtRiskMinor, b.currency, "/breaks/" + b.id)).toList();
    }

    static Map<String, BigDecimal> atRisk(List<OpenBreak> breaks) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        breaks.forEach(b -> sum.merge(b.currency(), BigDecimal.valueOf(b.amountAtRiskMinor()), BigDecimal::add));
        return sum;
    }

    List<Exception> exceptions(String[] names, String from, String to) {
        return Jdbc.query(dataSource, """
                select id, dataset, partition_key, requested_by, request_reason, decided_by, decision_reason, decided_at
                from readiness_override
                where decision = 'APPROVED' and dataset = any(?::text[]) and partition_key between ? and ?
                order by dataset, partition_key, id""", List.of(names, from, to),
                rs -> new Exception(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
    }
}
