package com.finledger.integrity.close;

import com.finledger.integrity.platform.Fmt;

import com.finledger.integrity.breaks.BreakViews;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/** The close dashboard (every month and its state) and a month's page: checklist, numbers, steps, evidence. */
@Path("/close")
@RolesAllowed({Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
public class ClosePages {

    @Inject
    @Location("close.html")
    Template dashboard;

    @Inject
    @Location("close-period.html")
    Template periodPage;

    @Inject
    CloseService service;

    @Inject
    CloseChecklist checklist;

    @Inject
    CloseReruns reruns;

    @Inject
    CloseResource api;

    @Inject
    DataSource dataSource;

    @Inject
    SecurityIdentity identity;

    public record MonthRow(String period, String state, String stateLabel, String statusClass, String signedOffBy,
                           String signedOffAt, String approvedBy, String approvedAt, String reopenCause) {
    }

    /** A layer's amount in one currency now, beside what was signed. */
    public record TotalRow(String layer, String currency, String current, String signed, boolean same, long rows,
                           Long signedRows) {
    }

    /** A partition's totals at one layer now, beside what was signed. */
    public record PartitionRow(String dataset, String partition, String layer, long rows, Long signedRows,
                               String fingerprint, String signedFingerprint, boolean same) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dashboard() {
        Map<String, MonthRow> months = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (String m : Jdbc.query(dataSource, """
                select distinct left(partition_key, 7) from partition_readiness
                where dataset = any(?::text[]) and partition_key not like '%T%'""",
                List.of((Object) checklist.financeDatasets().toArray(String[]::new)), rs -> rs.getString(1))) {
            months.put(m, new MonthRow(m, "NOT_STARTED", "Not started", "status-neutral", null, null, null, null, null));
        }
        for (ClosePeriod p : ClosePeriod.newestFirst()) {
            months.put(p.period, new MonthRow(p.period, p.state.name(), p.state.label(), statusClass(p.state),
                    p.signedOffBy, str(p.signedOffAt), p.approvedBy, str(p.approvedAt), p.reopenCause));
        }
        return Pages.page(dashboard.data("months", List.copyOf(months.values())), identity, "/close");
    }

    @GET
    @Path("{period}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance period(@PathParam("period") String period, @QueryParam("error") String error) {
        YearMonth month = CloseService.month(period);
        ClosePeriod p = ClosePeriod.byPeriod(month.toString()).orElse(null);
        CloseChecklist.Checklist list = checklist.of(month);
        String me = identity.getPrincipal().getName();
        boolean preparer = identity.hasRole(Roles.FINANCE_PREPARER) || identity.hasRole(Roles.ADMIN);
        boolean approver = identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN);
        ClosePeriod.State state = p == null ? ClosePeriod.State.OPEN : p.state;
        List<CloseSignedTotal> signed = p == null || p.signoffRound == 0 ? List.of() : CloseSignedTotal.of(p.id, p.signoffRound);
        CloseEvidence evidence = p == null || p.signoffRound == 0 ? null : CloseEvidence.of(p.id, p.signoffRound).orElse(null);
        CloseResource.RerunView rerun = rerunView(p, month);
        return Pages.page(periodPage.data("period", month.toString())
                        .data("p", p)
                        .data("state", state.name()).data("stateLabel", state.label()).data("statusClass", statusClass(state))
                        .data("list", list)
                        .data("blocking", list.blocking())
                        .data("totals", totalRows(list, signed))
                        .data("partitions", partitionRows(list, signed))
                        .data("hasSigned", !signed.isEmpty())
                        .data("breaks", list.openBreaks().stream().map(b -> Map.of("id", b.id(), "href", b.href(), "rule", b.rule(),
                                "reason", b.reason(), "severity", b.severity(), "date", b.businessDate().toString(),
                                "amount", BreakViews.money(b.amountAtRiskMinor(), b.currency()))).toList())
                        .data("atRisk", list.atRisk().entrySet().stream().map(e -> money(e.getValue(), e.getKey())).toList())
                        .data("history", p == null ? List.of() : CloseEvent.of(p.id))
                        .data("evidence", evidence)
                        .data("rerun", rerun)
                        .data("rerunRows", rerunRows(rerun))
                        .data("rerunDiffs", rerunDiffs(rerun))
                        .data("error", error)
                        .data("canSignOff", preparer && state == ClosePeriod.State.OPEN && list.clear())
                        .data("signOffBlocked", preparer && state == ClosePeriod.State.OPEN && !list.clear())
                        .data("canDecide", approver && state == ClosePeriod.State.SIGNED_OFF && p != null
                                && !me.equals(p.signedOffBy))
                        .data("ownSignOff", state == ClosePeriod.State.SIGNED_OFF && p != null && me.equals(p.signedOffBy))
                        .data("canRequestReopen", (preparer || approver) && (state == ClosePeriod.State.SIGNED_OFF
                                || state == ClosePeriod.State.CLOSED))
                        .data("canDecideReopen", approver && state == ClosePeriod.State.REOPEN_REQUESTED && p != null
                                && !me.equals(p.reopenRequestedBy))
                        .data("canRerun", (preparer || approver) && p != null && p.signoffRound > 0),
                identity, "/close");
    }

    /** The evidence pack for the page's download link (pages sign in by form; the API by basic auth or token). */
    @GET
    @Path("{period}/evidence.zip")
    @Produces("application/zip")
    public Response evidence(@PathParam("period") String period) {
        return api.evidence(period);
    }

    /** A rerun's progress for the page's progress bar. */
    @GET
    @Path("{period}/reruns/{id: [0-9]+}.json")
    @Produces(MediaType.APPLICATION_JSON)
    public CloseResource.RerunView rerunJson(@PathParam("period") String period, @PathParam("id") long id) {
        return api.rerun(period, id);
    }

    @POST
    @Path("{period}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Response act(@PathParam("period") String period, @PathParam("action") String action,
                        @FormParam("text") String text) {
        YearMonth month = CloseService.month(period);
        String me = identity.getPrincipal().getName();
        boolean preparer = identity.hasRole(Roles.FINANCE_PREPARER) || identity.hasRole(Roles.ADMIN);
        boolean approver = identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN);
        String back = "/close/" + month;
        try {
            switch (action) {
                case "sign-off" -> need(preparer).signOff(month, me, text);
                case "approve" -> need(approver).approve(month, me, text);
                case "reject" -> need(approver).reject(month, me, text);
                case "reopen" -> service.requestReopen(month, me, text);
                case "rerun" -> {
                    if (!preparer && !approver) {
                        throw new SecurityException("your role may not rerun a close period");
                    }
                    reruns.start(month, me);
                }
                case "grant-reopen" -> need(approver).decideReopen(month, me, true, text);
                case "refuse-reopen" -> need(approver).decideReopen(month, me, false, text);
                default -> throw new IllegalArgumentException("no action '" + action + "' on a close period");
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            back = UriBuilder.fromPath(back).queryParam("error", e.getMessage()).build().toString();
        }
        return Response.seeOther(java.net.URI.create(back)).build();
    }

    private CloseResource.RerunView rerunView(ClosePeriod p, YearMonth month) {
        return p == null ? null : reruns.latest(p.id).map(r -> CloseResource.RerunView.of(r, month.toString())).orElse(null);
    }

    public record RerunRow(String dataset, String partition, String layer, boolean same, long signedRows, long rerunRows,
                           String signedFingerprint, String rerunFingerprint, String signedAmounts, String rerunAmounts) {
    }

    public record RerunDiff(String dataset, String partition, String layer, int differences, String onlyInWarehouse,
                            String onlyInRerun, List<String> changed) {
    }

    static List<RerunRow> rerunRows(CloseResource.RerunView r) {
        List<RerunRow> rows = new ArrayList<>();
        if (r == null) {
            return rows;
        }
        for (var p : r.result().path("comparison").path("partitions")) {
            rows.add(new RerunRow(p.path("dataset").asText(), p.path("partition").asText(), p.path("layer").asText(),
                    p.path("same").asBoolean(), p.at("/signed/rows").asLong(), p.at("/rerun/rows").asLong(),
                    p.at("/signed/key_fingerprint").asText(), p.at("/rerun/key_fingerprint").asText(),
                    p.at("/signed/amounts").toString(), p.at("/rerun/amounts").toString()));
        }
        return rows;
    }

    static List<RerunDiff> rerunDiffs(CloseResource.RerunView r) {
        List<RerunDiff> diffs = new ArrayList<>();
        if (r == null) {
            return diffs;
        }
        for (var d : r.result().path("row_diffs")) {
            List<String> changed = new ArrayList<>();
            d.path("changed").forEach(c -> changed.add(c.path("key").asText() + ": " + c.path("columns").toString()));
            diffs.add(new RerunDiff(d.path("dataset").asText(), d.path("partition").asText(), d.path("layer").asText(),
                    d.path("differences").asInt(), d.path("only_in_warehouse").toString(), d.path("only_in_rerun").toString(),
                    changed));
        }
        return diffs;
    }

    private CloseService need(boolean allowed) {
        if (!allowed) {
            throw new SecurityException("your role may not do this to a close period");
        }
        return service;
    }

    static List<TotalRow> totalRows(CloseChecklist.Checklist list, List<CloseSignedTotal> signed) {
        Map<String, BigDecimal> signedAmounts = new TreeMap<>();
        Map<String, Long> signedRows = new TreeMap<>();
        for (CloseSignedTotal t : signed) {
            signedRows.merge(t.layer, t.rowCount, Long::sum);
            Amounts.fromJson(t.amounts).asMap().forEach((c, v) -> signedAmounts.merge(t.layer + "/" + c, v, BigDecimal::add));
        }
        List<TotalRow> rows = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (CloseChecklist.LayerTotal t : list.layerTotals()) {
            String key = t.layer() + "/" + t.currency();
            seen.add(key);
            BigDecimal s = signedAmounts.get(key);
            rows.add(new TotalRow(t.layer(), t.currency(), money(t.amountMinor(), t.currency()),
                    s == null ? "" : money(s, t.currency()), s == null || s.compareTo(t.amountMinor()) == 0, t.rows(),
                    signedRows.get(t.layer())));
        }
        signedAmounts.forEach((key, v) -> {
            if (!seen.contains(key)) {
                String[] lc = key.split("/", 2);
                rows.add(new TotalRow(lc[0], lc[1], "", money(v, lc[1]), false, 0, signedRows.get(lc[0])));
            }
        });
        return rows;
    }

    static List<PartitionRow> partitionRows(CloseChecklist.Checklist list, List<CloseSignedTotal> signed) {
        Map<String, CloseSignedTotal> byKey = new TreeMap<>();
        signed.forEach(t -> byKey.put(t.dataset + "/" + t.partitionKey + "/" + t.layer, t));
        List<PartitionRow> rows = new ArrayList<>();
        for (CloseChecklist.PartitionTotal t : list.totals()) {
            CloseSignedTotal s = byKey.get(t.key());
            rows.add(new PartitionRow(t.dataset(), t.partition(), t.layer(), t.rows(), s == null ? null : s.rowCount,
                    String.valueOf(t.keyFingerprint()), s == null ? "" : String.valueOf(s.keyFingerprint),
                    s == null || (s.rowCount == t.rows() && Objects.equals(s.keyFingerprint, t.keyFingerprint())
                            && Amounts.fromJson(s.amounts).sameAs(t.amounts()))));
        }
        return rows;
    }

    static String money(BigDecimal minor, String currency) {
        return Fmt.money(minor, currency);
    }

    static String statusClass(ClosePeriod.State state) {
        return switch (state) {
            case OPEN -> "status-warn";
            case SIGNED_OFF -> "status-neutral";
            case CLOSED -> "status-good";
            case REOPEN_REQUESTED -> "status-bad";
        };
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
