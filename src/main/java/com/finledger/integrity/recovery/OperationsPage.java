package com.finledger.integrity.recovery;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.ReplicationMonitor;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The operations status page: every dataset against every stage (landing, RAW, STAGING, CURATED, readiness) in
 * colour and words, its last event, and its lag — from its newest landing to the evaluation that made that
 * partition usable, or to now while it is not — against the catalog's freshness objective, drawn as a chart.
 */
@Path("/operations")
@RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
public class OperationsPage {

    @Inject
    @Location("operations.html")
    Template page;

    @Inject
    CatalogService catalogService;

    @Inject
    ReplicationMonitor replication;

    @Inject
    PullWindowLedger pullWindows;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    SecurityIdentity identity;

    /** One stage of one dataset: words, a colour class, and where to look. */
    public record Cell(String words, String statusClass, String href) {
    }

    public record Row(String dataset, String kind, String slaClass, List<Cell> stages, String lastEvent, String lastEventAt,
                      Long lagSeconds, long sloSeconds, String lagWords, String lagClass) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance status() {
        Catalog catalog = catalogService.catalog();
        Instant now = clock.instant();
        Map<String, String> taskStatus = new HashMap<>();
        String replicationProblem = null;
        try {
            replication.tasks().forEach(t -> taskStatus.put(t.identifier(), t.status()));
        } catch (RuntimeException e) {
            replicationProblem = e.getMessage();
        }
        Map<String, Instant> newestLanding = new HashMap<>();
        Map<String, Long> waitingForRaw = new HashMap<>();
        Jdbc.query(dataSource, """
                select dataset, max(recorded_at), count(*) filter (where raw_loaded_at is null) from landed_object group by dataset""",
                List.of(), rs -> {
                    newestLanding.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    waitingForRaw.put(rs.getString(1), rs.getLong(3));
                    return null;
                });
        Map<String, Long> quarantinedFiles = new HashMap<>();
        Jdbc.query(dataSource, """
                select dataset, count(*) from partner_file f where state = 'QUARANTINED'
                and not exists (select 1 from partner_file r where r.replay_of = f.id) group by dataset""", List.of(),
                rs -> quarantinedFiles.put(rs.getString(1), rs.getLong(2)));
        Map<String, String> modelStatus = new HashMap<>();
        Jdbc.query(dataSource, """
                select distinct on (n.unique_id) n.unique_id, n.status from dbt_node_result n
                join dbt_invocation i on i.invocation_id = n.invocation_id
                where n.resource_type = 'model' order by n.unique_id, i.id desc""", List.of(),
                rs -> modelStatus.put(rs.getString(1).substring(rs.getString(1).lastIndexOf('.') + 1), rs.getString(2)));
        Map<String, long[]> states = new HashMap<>();   // usable, open, blocked over the newest dates
        Map<String, Instant[]> newest = new HashMap<>();  // newest date partition: updated at, usable?
        Jdbc.query(dataSource, """
                select dataset, state, updated_at, partition_key,
                       row_number() over (partition by dataset order by partition_key desc) as n
                from partition_readiness where partition_key not like '%T%'""", List.of(), rs -> {
                    long[] c = states.computeIfAbsent(rs.getString(1), k -> new long[3]);
                    String s = rs.getString(2);
                    c[s.startsWith("READY") ? 0 : s.equals("BLOCKED") ? 2 : 1]++;
                    if (rs.getLong(5) == 1) {
                        newest.put(rs.getString(1), new Instant[] {rs.getTimestamp(3).toInstant(), s.startsWith("READY")
                                ? Instant.EPOCH : null});
                    }
                    return null;
                });
        Map<String, String[]> lastEvent = new HashMap<>();
        Jdbc.query(dataSource, """
                select distinct on (split_part(subject_id, '/', 1)) split_part(subject_id, '/', 1), action, occurred_at, subject_id
                from audit_log where subject_type = 'partition' and seq > (select coalesce(max(seq), 0) - 20000 from audit_log)
                order by split_part(subject_id, '/', 1), seq desc""", List.of(),
                rs -> lastEvent.put(rs.getString(1), new String[] {rs.getString(2) + " " + rs.getString(4).substring(
                        rs.getString(4).indexOf('/') + 1), rs.getTimestamp(3).toInstant().toString()}));

        List<Row> rows = new ArrayList<>();
        for (Catalog.Source source : catalog.sources()) {
            for (Catalog.Dataset d : source.datasets()) {
                Cell landing = switch (source.kind()) {
                    case POSTGRES_CDC -> {
                        String task = source.dmsTask().orElseThrow();
                        String st = taskStatus.getOrDefault(task, replicationProblem == null ? "unknown" : "unreachable");
                        yield new Cell("DMS " + st, st.equals("running") ? "status-good" : "status-bad", "/sources");
                    }
                    case REST_API -> {
                        int issues = pullWindows.issues(source.name(), source.endpoint().orElseThrow()).size();
                        yield issues == 0 ? new Cell("windows complete", "status-good", "/sources")
                                : new Cell(issues + " window problem(s)", "status-bad", "/sources");
                    }
                    case PARTNER_FILES -> {
                        long q = quarantinedFiles.getOrDefault(d.name(), 0L);
                        yield q == 0 ? new Cell("files accepted", "status-good", "/partner-files")
                                : new Cell(q + " file(s) quarantined", "status-warn", "/partner-files?state=QUARANTINED");
                    }
                };
                if (!newestLanding.containsKey(d.name())) {
                    landing = new Cell("nothing landed", "status-neutral", landing.href());
                }
                long waiting = waitingForRaw.getOrDefault(d.name(), 0L);
                Cell raw = !newestLanding.containsKey(d.name()) ? new Cell("empty", "status-neutral", null)
                        : waiting == 0 ? new Cell("loaded", "status-good", null)
                        : new Cell(waiting + " object(s) waiting", "status-warn", null);
                rows.add(row(d.name(), source.kind().name().toLowerCase().replace('_', ' '), d.slaClass(), d.freshness(),
                        List.of(landing, raw, model(modelStatus, "stg_" + d.name()), new Cell("—", "status-neutral", null),
                                readiness(states.get(d.name()), d.name())),
                        newestLanding.get(d.name()), newest.get(d.name()), lastEvent.get(d.name()), now));
            }
        }
        for (Catalog.CuratedDataset c : catalog.curated()) {
            Set<String> inputs = catalog.landedSources(c.name());
            Instant landed = inputs.stream().map(newestLanding::get).filter(java.util.Objects::nonNull)
                    .max(Instant::compareTo).orElse(null);
            rows.add(row(c.name(), "curated", c.slaClass(), c.freshness(),
                    List.of(new Cell("from " + String.join(", ", inputs), "status-neutral", null),
                            new Cell("—", "status-neutral", null), new Cell("—", "status-neutral", null),
                            model(modelStatus, c.name()), readiness(states.get(c.name()), c.name())),
                    landed, newest.get(c.name()), lastEvent.get(c.name()), now));
        }
        return Pages.page(page.data("rows", rows).data("stages", List.of("Landing", "RAW", "STAGING", "CURATED", "Readiness"))
                .data("replicationProblem", replicationProblem).data("now", now.toString()), identity, "/operations");
    }

    private static Row row(String dataset, String kind, Catalog.SlaClass sla, Duration freshness, List<Cell> stages,
                           Instant landed, Instant[] newest, String[] event, Instant now) {
        Long lag = null;
        String words = "no data yet";
        String cls = "status-neutral";
        long slo = freshness == null ? 0 : freshness.toSeconds();
        if (landed != null && newest != null) {
            boolean usable = newest[1] != null;
            Instant until = usable ? (newest[0].isAfter(landed) ? newest[0] : landed) : now;
            lag = Duration.between(landed, until).toSeconds();
            words = minutes(lag) + (usable ? " landing → ready" : " since landing, not ready");
            cls = slo > 0 && lag > slo ? "status-bad" : "status-good";
        }
        return new Row(dataset, kind, sla == null ? "" : sla.name().toLowerCase(), stages,
                event == null ? "—" : event[0], event == null ? "" : event[1], lag, slo, words, cls);
    }

    private static String minutes(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static Cell model(Map<String, String> modelStatus, String model) {
        String s = modelStatus.get(model);
        if (s == null) {
            return new Cell("not built", "status-neutral", "/lineage/runs");
        }
        return s.equals("success") ? new Cell("built", "status-good", "/lineage/runs") : new Cell("model " + s, "status-bad", "/recovery");
    }

    private static Cell readiness(long[] c, String dataset) {
        if (c == null) {
            return new Cell("no partitions", "status-neutral", "/readiness");
        }
        if (c[2] > 0) {
            return new Cell(c[2] + " blocked, " + c[0] + " ready", "status-bad", "/recovery");
        }
        if (c[1] > 0) {
            return new Cell(c[1] + " open, " + c[0] + " ready", "status-warn", "/readiness");
        }
        return new Cell("all " + c[0] + " ready", "status-good", "/readiness");
    }
}
