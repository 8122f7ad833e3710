package com.finledger.integrity.recovery;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.ReplicationMonitor;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.operations.AwsEvent;
import com.finledger.integrity.operations.PipelineJob;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What on-call can recover now: stopped or failed DMS tasks, failed or missing processor pull windows,
 * quarantined partner files not yet replayed, blocked partitions, a failed pipeline (dbt) run, failed recovery
 * jobs — each with the recovery actions that fit, linked to their dry-run preview.
 */
@ApplicationScoped
public class ActionableItems {

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    ReplicationMonitor replication;

    @Inject
    PullWindowLedger pullWindows;

    public record Suggestion(String action, String label, String previewHref) {
    }

    public record Item(String kind, String name, String state, String detail, String href, List<Suggestion> actions) {
    }

    public List<Item> all() {
        List<Item> items = new ArrayList<>();
        Catalog catalog = catalogService.catalog();
        try {
            for (ReplicationMonitor.ReplicationTask t : replication.tasks()) {
                if (!"running".equalsIgnoreCase(t.status())) {
                    items.add(new Item("DMS task", t.identifier(), t.status().toUpperCase(), t.lastFailureMessage() != null
                            ? t.lastFailureMessage() : t.stopReason(), "/sources",
                            List.of(suggest(RecoveryAction.DMS_RESUME, "Resume", Map.of("task", t.identifier(),
                                    "start_type", "resume-processing")))));
                }
            }
        } catch (RuntimeException e) {
            items.add(new Item("DMS task", "replication service", "UNREACHABLE", e.getMessage(), "/sources", List.of()));
        }
        for (Catalog.Source s : catalog.sources()) {
            if (s.kind() != Catalog.SourceKind.REST_API) {
                continue;
            }
            for (PullWindowLedger.Issue issue : pullWindows.issues(s.name(), s.endpoint().orElseThrow())) {
                if (issue.from() == null || issue.to() == null) {
                    continue;
                }
                items.add(new Item("Pull window", s.name() + " [" + issue.from() + ", " + issue.to() + ")",
                        issue.kind().toUpperCase(), issue.detail(), "/sources",
                        List.of(suggest(RecoveryAction.API_REPULL, "Re-pull the window", Map.of("source", s.name(),
                                "from", issue.from().toString(), "to", issue.to().toString())))));
            }
        }
        for (Object[] f : Jdbc.query(dataSource, """
                select f.id, f.object_key, f.reason, f.business_date from partner_file f
                where f.state = 'QUARANTINED' and not exists (select 1 from partner_file r where r.replay_of = f.id)
                order by f.id desc limit 50""", List.of(), rs -> new Object[] {rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getString(4)})) {
            items.add(new Item("Partner file", (String) f[1], "QUARANTINED", (String) f[2], "/partner-files/" + f[0],
                    List.of(suggest(RecoveryAction.FILE_REPLAY, "Replay", Map.of("file_id", f[0].toString())))));
        }
        Map<String, Catalog.Source> apiSourceOf = new LinkedHashMap<>();
        catalog.sources().stream().filter(s -> s.kind() == Catalog.SourceKind.REST_API)
                .forEach(s -> s.datasets().forEach(d -> apiSourceOf.put(d.name(), s)));
        for (String[] p : Jdbc.query(dataSource, """
                select dataset, partition_key, coalesce(checks_summary ->> 'blocking', checks_summary::text) from partition_readiness
                where state = 'BLOCKED' and partition_key not like '%T%' order by partition_key desc, dataset limit 100""",
                List.of(), rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            String dataset = p[0];
            String date = p[1];
            List<Suggestion> actions = new ArrayList<>();
            Catalog.Source api = apiSourceOf.get(dataset);
            if (api != null) {
                Instant from = java.time.LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                actions.add(suggest(RecoveryAction.API_REPULL, "Re-pull the day's window", Map.of("source", api.name(),
                        "from", from.toString(), "to", from.plus(Duration.ofDays(1)).toString())));
            }
            if (catalog.datasets().anyMatch(d -> d.name().equals(dataset))) {
                actions.add(suggest(RecoveryAction.GLUE_RERUN, "Re-run the RAW load", Map.of("dataset", dataset, "partition", date)));
            }
            actions.add(suggest(RecoveryAction.DBT_RERUN, "Re-run the models", Map.of("dataset", dataset, "partition", date)));
            actions.add(suggest(RecoveryAction.REEVALUATE, "Re-evaluate", Map.of("dataset", dataset, "partition", date)));
            actions.add(suggest(RecoveryAction.BACKFILL, "Backfill the date", Map.of("from", date, "to", date)));
            items.add(new Item("Partition", dataset + " " + date, "BLOCKED", abbreviate(p[2]), "/readiness/" + dataset + "/" + date,
                    actions));
        }
        for (Object[] r : Jdbc.query(dataSource, """
                select id, finished_at, status from pipeline_run order by id desc limit 1""", List.of(),
                rs -> new Object[] {rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)})) {
            if ("FAILED".equals(r[2])) {
                String date = Jdbc.query(dataSource, "select max(business_date)::text from landed_object", List.of(),
                        rs -> rs.getString(1)).get(0);
                items.add(new Item("dbt run", "pipeline run " + r[0], "FAILED", "the models did not build at " + r[1],
                        "/lineage/runs", date == null ? List.of() : List.of(suggest(RecoveryAction.DBT_RERUN,
                        "Re-run every model", Map.of("partition", date)))));
            }
        }
        // Jobs whose latest AWS state change (EventBridge through the queue) is a failure.
        List<PipelineJob> failedJobs = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(PipelineJob::failed);
        String newestDate = failedJobs.isEmpty() ? null : Jdbc.query(dataSource,
                "select max(business_date)::text from landed_object", List.of(), rs -> rs.getString(1)).get(0);
        for (PipelineJob job : failedJobs.subList(0, Math.min(failedJobs.size(), 20))) {
            List<Suggestion> actions = switch (job.kind) {
                case DMS_TASK -> List.of(suggest(RecoveryAction.DMS_RESUME, "Resume",
                        Map.of("task", job.name, "start_type", "resume-processing")));
                case GLUE_JOB -> newestDate == null ? List.of() : List.of(suggest(RecoveryAction.DBT_RERUN,
                        "Re-run the models", Map.of("partition", newestDate)));
                default -> List.of();
            };
            items.add(new Item(job.kind == AwsEvent.JobKind.DMS_TASK ? "DMS task" : job.kind == AwsEvent.JobKind.GLUE_JOB
                    ? "Glue job" : "AppFlow flow", job.name, job.state, job.message, "/alerts", actions));
        }
        for (RecoveryJob j : io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> RecoveryJob.<RecoveryJob>find(
                "from RecoveryJob j where j.state = ?1 and not exists (from RecoveryJob n where n.targetKey = j.targetKey "
                        + "and n.id > j.id and n.state = ?2) order by j.id desc", RecoveryJob.State.FAILED,
                RecoveryJob.State.SUCCEEDED).page(0, 10).list())) {
            Map<String, String> params = new LinkedHashMap<>();
            RecoveryJobs.read(j.params).fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            items.add(new Item("Recovery job", "#" + j.id + " " + j.action + " " + j.targetKey, "FAILED", j.error,
                    "/recovery/jobs/" + j.id, List.of(suggest(RecoveryAction.of(j.action), "Try again", params))));
        }
        return items;
    }

    /** A recovery action with its dry-run link (alerts and AWS events can link failed jobs to their preview). */
    public static Suggestion suggest(RecoveryAction action, String label, Map<String, String> params) {
        String query = params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new Suggestion(action.slug(), label, "/recovery/preview?action=" + action.slug() + (query.isEmpty() ? "" : "&" + query));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return null;
        }
        return text.length() > 300 ? text.substring(0, 297) + "..." : text;
    }
}
