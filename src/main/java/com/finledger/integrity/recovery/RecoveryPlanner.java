package com.finledger.integrity.recovery;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.PartnerFileIntake;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionReadiness;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.recovery.RecoveryPlan.Step;
import com.finledger.integrity.recovery.RecoveryPlan.Touch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns a recovery request into its plan: the steps a job will run and what they will touch, read from the
 * catalog, readiness, the landing ledger, the pull-window ledger, the partner-file ledger and the DMS tasks
 * as they stand. This is the dry run: it only reads. Bad parameters are refused naming the parameter.
 */
@ApplicationScoped
public class RecoveryPlanner {

    static final int MAX_BACKFILL_DAYS = 31;

    @Inject
    CatalogService catalogService;

    @Inject
    ReadinessService readiness;

    @Inject
    PullWindowLedger pullWindows;

    @Inject
    PartnerFileIntake partnerFiles;

    @Inject
    ObjectStore objectStore;

    @Inject
    DmsTasks dmsTasks;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.recovery.glue.raw-load-job", defaultValue = "finledger-raw-load")
    String rawLoadJob;

    public RecoveryPlan plan(RecoveryAction action, Map<String, String> raw) {
        Map<String, String> params = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                params.put(k, v.trim());
            }
        });
        for (String k : params.keySet()) {
            if (!action.params().contains(k)) {
                throw new IllegalArgumentException("params." + k + ": not a parameter of " + action.slug() + " (takes "
                        + action.params() + ")");
            }
        }
        return switch (action) {
            case DMS_RESUME -> dms(action, params);
            case GLUE_RERUN -> glue(action, params);
            case DBT_RERUN -> dbt(action, params);
            case FILE_REPLAY -> replay(action, params);
            case API_REPULL -> repull(action, params);
            case REEVALUATE -> reevaluate(action, params);
            case BACKFILL -> backfill(action, params);
        };
    }

    private RecoveryPlan dms(RecoveryAction action, Map<String, String> params) {
        String task = required(params, "task");
        Catalog.Source source = catalogService.catalog().sources().stream()
                .filter(s -> s.dmsTask().filter(task::equals).isPresent()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("params.task: no CDC source of the catalog replicates with task '"
                        + task + "'"));
        DmsTasks.StartType type = DmsTasks.StartType.of(params.getOrDefault("start_type", "resume-processing"));
        params.put("start_type", type.dms());
        List<Touch> touches = new ArrayList<>();
        touches.add(new Touch("dms task", task, dmsTasks.status(task), "source " + source.name() + ", start type "
                + type.dms(), "/sources"));
        for (Catalog.Dataset d : source.datasets()) {
            touches.add(new Touch("dataset", d.name(), null, "changes past the task's checkpoint land, load and are evaluated",
                    "/readiness"));
        }
        List<Step> steps = List.of(
                new Step("DMS_START", "start DMS task " + task + " (" + type.dms() + ")", Map.of("task", task,
                        "start_type", type.dms())),
                new Step("RUN_PIPELINE", "land what the task delivers, load RAW, build the models, evaluate open partitions",
                        Map.of()));
        return new RecoveryPlan(action.slug(), action.label(), "dms:" + task, params, steps, touches,
                List.of("Resuming continues from the task's recovery checkpoint, so nothing already landed lands again."));
    }

    private RecoveryPlan glue(RecoveryAction action, Map<String, String> params) {
        Catalog.Dataset dataset = sourceDataset(required(params, "dataset"));
        LocalDate date = date(params, "partition");
        params.put("partition", date.toString());
        List<Touch> touches = new ArrayList<>();
        long objects = landedObjects(dataset.name(), date);
        touches.add(new Touch("glue job", rawLoadJob, null, "--dataset " + dataset.name() + " --business_date " + date, null));
        touches.add(new Touch("landed objects", dataset.name() + " " + date, objects + " object(s)",
                "loaded into RAW again; lines RAW holds (object version + line) are skipped", null));
        List<String> evaluate = withDownstream(dataset.name());
        partitions(touches, evaluate, date);
        Map<String, String> glueArgs = Map.of("job", rawLoadJob, "dataset", dataset.name(), "date", date.toString());
        List<Step> steps = List.of(
                new Step("GLUE_START", "start Glue job " + rawLoadJob + " for " + dataset.name() + " " + date, glueArgs),
                new Step("GLUE_AWAIT", "wait for the Glue job run to finish", Map.of("job", rawLoadJob)),
                new Step("BUILD_MODELS", "build the models from stg_" + dataset.name() + " on", Map.of("select",
                        "stg_" + dataset.name() + "+")),
                new Step("EVALUATE", "evaluate " + String.join(", ", evaluate) + " " + date, Map.of("date", date.toString(),
                        "datasets", String.join(",", evaluate))));
        return new RecoveryPlan(action.slug(), action.label(), "glue:" + dataset.name() + "/" + date, params, steps, touches,
                objects == 0 ? List.of("Nothing has landed for this partition: the job will load nothing.") : List.of());
    }

    private RecoveryPlan dbt(RecoveryAction action, Map<String, String> params) {
        Catalog catalog = catalogService.catalog();
        LocalDate date = date(params, "partition");
        params.put("partition", date.toString());
        String name = params.get("dataset");
        String select;
        List<String> evaluate;
        if (name == null) {
            select = "";
            evaluate = datasetsOfDate(date);
        } else if (catalog.curated().stream().anyMatch(c -> c.name().equals(name))) {
            select = "+" + name;
            evaluate = List.of(name);
        } else {
            sourceDataset(name);
            select = "stg_" + name + "+";
            evaluate = withDownstream(name);
        }
        List<Touch> touches = new ArrayList<>();
        touches.add(new Touch("dbt models", select.isEmpty() ? "every model" : select, null,
                "MERGE per model keyed on its grain: unchanged rows are left as they are", "/lineage/runs"));
        partitions(touches, evaluate, date);
        List<Step> steps = List.of(
                new Step("BUILD_MODELS", "dbt build " + (select.isEmpty() ? "of every model" : "--select " + select),
                        Map.of("select", select)),
                new Step("EVALUATE", "evaluate " + String.join(", ", evaluate) + " " + date, Map.of("date", date.toString(),
                        "datasets", String.join(",", evaluate))));
        return new RecoveryPlan(action.slug(), action.label(), "dbt:" + (name == null ? "*" : name) + "/" + date, params,
                steps, touches, List.of());
    }

    private RecoveryPlan replay(RecoveryAction action, Map<String, String> params) {
        long id;
        try {
            id = Long.parseLong(required(params, "file_id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("params.file_id: '" + params.get("file_id") + "' is not a file id");
        }
        PartnerFileIntake.PartnerFile file = partnerFiles.find(id)
                .orElseThrow(() -> new IllegalArgumentException("params.file_id: no partner file " + id));
        if (!file.state().equals("QUARANTINED")) {
            throw new IllegalArgumentException("params.file_id: file " + id + " is " + file.state()
                    + "; only a quarantined file is replayed");
        }
        List<Touch> touches = new ArrayList<>();
        String current = objectStore.head(file.key()).map(ObjectStore.StoredObject::versionId).orElse(null);
        touches.add(new Touch("partner file", file.key(), file.state(), "quarantined version " + file.versionId()
                + "; version in the bucket now " + (current == null ? "none" : current), "/partner-files/" + id));
        List<String> notes = new ArrayList<>();
        if (current == null || current.equals(file.versionId())) {
            notes.add("The bucket still holds the quarantined version: put the corrected file first, or the replay step fails.");
        }
        LocalDate date = file.businessDate();
        List<String> evaluate = withDownstream(file.dataset());
        if (date != null) {
            partitions(touches, evaluate, date);
        }
        List<Step> steps = new ArrayList<>(List.of(
                new Step("REPLAY_FILE", "take the current version of " + file.key() + " as a replay of file " + id,
                        Map.of("file_id", Long.toString(id))),
                new Step("LOAD_RAW", "load what landed into RAW", Map.of()),
                new Step("BUILD_MODELS", "build the models from stg_" + file.dataset() + " on", Map.of("select",
                        "stg_" + file.dataset() + "+"))));
        if (date != null) {
            steps.add(new Step("EVALUATE", "evaluate " + String.join(", ", evaluate) + " " + date, Map.of("date",
                    date.toString(), "datasets", String.join(",", evaluate))));
        }
        return new RecoveryPlan(action.slug(), action.label(), "file:" + id, params, steps, touches, notes);
    }

    private RecoveryPlan repull(RecoveryAction action, Map<String, String> params) {
        Catalog catalog = catalogService.catalog();
        String sourceName = required(params, "source");
        Catalog.Source source = catalog.sources().stream().filter(s -> s.name().equals(sourceName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("params.source: no source named " + sourceName));
        if (source.kind() != Catalog.SourceKind.REST_API) {
            throw new IllegalArgumentException("params.source: " + sourceName + " is not a processor API source");
        }
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("params.to: must be after params.from");
        }
        if (to.isAfter(clock.instant())) {
            throw new IllegalArgumentException("params.to: [" + from + ", " + to + ") is not over yet; only closed windows are pulled");
        }
        List<Touch> touches = new ArrayList<>();
        String endpoint = source.endpoint().orElseThrow();
        boolean recorded = false;
        for (PullWindowLedger.Window w : pullWindows.windows(source.name(), endpoint)) {
            boolean same = w.from().equals(from) && w.to().equals(to);
            if (same) {
                recorded = true;
                touches.add(new Touch("pull window", "[" + from + ", " + to + ")", w.status(), w.rows()
                        + " rows last pulled; pulled again, an unchanged checksum lands nothing", "/sources"));
            } else if (w.from().isBefore(to) && w.to().isAfter(from)) {
                throw new IllegalArgumentException("params.from: [" + from + ", " + to + ") overlaps the recorded window ["
                        + w.from() + ", " + w.to() + "); re-pull a recorded window or fill a hole exactly");
            }
        }
        if (!recorded) {
            touches.add(new Touch("pull window", "[" + from + ", " + to + ")", "HOLE", "never pulled: pulled as a backfill",
                    "/sources"));
        }
        Catalog.Dataset dataset = source.datasets().get(0);
        List<String> evaluate = withDownstream(dataset.name());
        Set<LocalDate> dates = new LinkedHashSet<>();
        for (LocalDate d = from.atZone(ZoneOffset.UTC).toLocalDate(); d.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(to);
             d = d.plusDays(1)) {
            dates.add(d);
        }
        dates.forEach(d -> partitions(touches, evaluate, d));
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("PULL_WINDOW", "pull " + sourceName + " [" + from + ", " + to + ") and load it through every layer",
                Map.of("source", sourceName, "from", from.toString(), "to", to.toString())));
        for (LocalDate d : dates) {
            steps.add(new Step("EVALUATE", "evaluate " + String.join(", ", evaluate) + " " + d, Map.of("date", d.toString(),
                    "datasets", String.join(",", evaluate))));
        }
        return new RecoveryPlan(action.slug(), action.label(), "api:" + sourceName + "/" + from, params, steps, touches,
                List.of());
    }

    private RecoveryPlan reevaluate(RecoveryAction action, Map<String, String> params) {
        String name = required(params, "dataset");
        requireDataset(name);
        LocalDate date = date(params, "partition");
        List<Touch> touches = new ArrayList<>();
        partitions(touches, List.of(name), date);
        return new RecoveryPlan(action.slug(), action.label(), "evaluate:" + name + "/" + date, params,
                List.of(new Step("EVALUATE", "evaluate " + name + " " + date, Map.of("date", date.toString(), "datasets", name))),
                touches, List.of("An evaluation that finds what the last one found changes neither state nor version."));
    }

    private RecoveryPlan backfill(RecoveryAction action, Map<String, String> params) {
        LocalDate from = date(params, "from");
        LocalDate to = date(params, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("params.to: " + to + " is before params.from " + from);
        }
        if (from.plusDays(MAX_BACKFILL_DAYS - 1L).isBefore(to)) {
            throw new IllegalArgumentException("params.to: a backfill covers at most " + MAX_BACKFILL_DAYS + " days");
        }
        if (!from.isBefore(clock.instant().atZone(ZoneOffset.UTC).toLocalDate())) {
            throw new IllegalArgumentException("params.from: " + from + " is not over yet");
        }
        Catalog catalog = catalogService.catalog();
        List<Touch> touches = new ArrayList<>();
        for (Catalog.Source s : catalog.sources()) {
            switch (s.kind()) {
                case POSTGRES_CDC -> touches.add(new Touch("dms task", s.dmsTask().orElseThrow(),
                        dmsTasks.status(s.dmsTask().orElseThrow()), "catches up past its checkpoint; what landed before "
                        + "never lands again", "/sources"));
                case PARTNER_FILES -> touches.add(new Touch("partner drop", s.name(), null,
                        "swept; a file already in the ledger is not taken again", "/partner-files"));
                case REST_API -> { }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (Catalog.Source s : catalog.sources()) {
                if (s.kind() == Catalog.SourceKind.REST_API) {
                    apiWindows(touches, s, d);
                }
            }
            for (Catalog.Dataset ds : catalog.datasets().toList()) {
                long objects = landedObjects(ds.name(), d);
                touches.add(new Touch("landed objects", ds.name() + " " + d, objects + " object(s)",
                        "in the landing ledger now", null));
            }
            partitions(touches, datasetsOfDate(d), d);
            String day = d.toString();
            steps.add(new Step("LAND", "land " + day + " (DMS catch-up, API windows, partner drops)", Map.of("date", day)));
            steps.add(new Step("LOAD_RAW", "load " + day + "'s landed objects into RAW", Map.of("date", day)));
            steps.add(new Step("BUILD_MODELS", "build the models for " + day + " (skipped when nothing new since this job's "
                    + "last build)", Map.of("select", "", "skip_if_unchanged", "true")));
            steps.add(new Step("EVALUATE", "evaluate every dataset's " + day, Map.of("date", day, "datasets", "")));
        }
        return new RecoveryPlan(action.slug(), action.label(), "backfill:" + from + ".." + to,
                Map.of("from", from.toString(), "to", to.toString()), steps, touches,
                List.of("Every step is idempotent: landing is keyed by object version, RAW by object version and line, "
                        + "the models MERGE on their grain; a date already READY stays READY with the same control totals."));
    }

    private void apiWindows(List<Touch> touches, Catalog.Source s, LocalDate d) {
        Instant dayFrom = d.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayTo = dayFrom.plus(Duration.ofDays(1));
        Instant cursor = dayFrom;
        for (PullWindowLedger.Window w : pullWindows.windows(s.name(), s.endpoint().orElseThrow()).stream()
                .filter(w -> w.from().isBefore(dayTo) && w.to().isAfter(dayFrom))
                .sorted(java.util.Comparator.comparing(PullWindowLedger.Window::from)).toList()) {
            if (w.from().isAfter(cursor)) {
                touches.add(new Touch("pull window", s.name() + " [" + cursor + ", " + w.from() + ")", "HOLE",
                        "pulled as a backfill", "/sources"));
            }
            touches.add(new Touch("pull window", s.name() + " [" + w.from() + ", " + w.to() + ")", w.status(),
                    "pulled again; an unchanged checksum lands nothing", "/sources"));
            cursor = w.to().isAfter(cursor) ? w.to() : cursor;
        }
        if (cursor.isBefore(dayTo)) {
            touches.add(new Touch("pull window", s.name() + " [" + cursor + ", " + dayTo + ")", "HOLE",
                    dayTo.isAfter(clock.instant()) ? "not over yet: left alone" : "pulled as a backfill", "/sources"));
        }
    }

    /** The dataset and every curated dataset built from it, directly or through another (curated.yaml is in build order). */
    List<String> withDownstream(String dataset) {
        List<String> reached = new ArrayList<>(List.of(dataset));
        for (Catalog.CuratedDataset c : catalogService.catalog().curated()) {
            if (c.builtFrom().stream().anyMatch(reached::contains)) {
                reached.add(c.name());
            }
        }
        return reached;
    }

    /** Datasets with a partition or a landed object on the date, source datasets first, in catalog order. */
    List<String> datasetsOfDate(LocalDate date) {
        Set<String> present = new java.util.HashSet<>(Jdbc.query(dataSource, """
                select dataset from partition_readiness where partition_key = ?
                union select dataset from landed_object where business_date = ?""",
                List.of(date.toString(), date), rs -> rs.getString(1)));
        List<String> ordered = new ArrayList<>();
        Catalog catalog = catalogService.catalog();
        catalog.datasets().map(Catalog.Dataset::name).filter(present::contains).forEach(ordered::add);
        catalog.curated().stream().map(Catalog.CuratedDataset::name).filter(present::contains).forEach(ordered::add);
        return ordered;
    }

    private void partitions(List<Touch> touches, List<String> datasets, LocalDate date) {
        for (String name : datasets) {
            PartitionReadiness r = readiness.find(name, date.toString()).orElse(null);
            touches.add(new Touch("partition", name + " " + date, r == null ? "NONE" : r.state().name(),
                    r == null ? "no partition yet" : "version " + r.version(), "/readiness/" + name + "/" + date));
        }
    }

    private long landedObjects(String dataset, LocalDate date) {
        return Jdbc.query(dataSource, "select count(*) from landed_object where dataset = ? and business_date = ?",
                List.of(dataset, date), rs -> rs.getLong(1)).get(0);
    }

    private Catalog.Dataset sourceDataset(String name) {
        return catalogService.catalog().datasets().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("params.dataset: no source dataset named " + name));
    }

    private void requireDataset(String name) {
        Catalog catalog = catalogService.catalog();
        if (catalog.datasets().noneMatch(d -> d.name().equals(name)) && catalog.curated().stream().noneMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException("params.dataset: no dataset named " + name + " in the catalog");
        }
    }

    private static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("params." + name + ": required");
        }
        return v;
    }

    /** A business date; a micro-batch window key (2026-11-02T10:15Z) stands for its date, which is evaluated whole. */
    private static LocalDate date(Map<String, String> params, String name) {
        String v = required(params, name);
        try {
            LocalDate d = LocalDate.parse(v.length() > 10 && v.charAt(10) == 'T' ? v.substring(0, 10) : v);
            params.put(name, d.toString());
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("params." + name + ": '" + v + "' is not a date (2026-11-02)");
        }
    }

    private static Instant instant(Map<String, String> params, String name) {
        String v = required(params, name);
        try {
            Instant at = v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
            params.put(name, at.toString());
            return at;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("params." + name + ": '" + v + "' is not an instant (2026-11-03T00:00:00Z)");
        }
    }
}
