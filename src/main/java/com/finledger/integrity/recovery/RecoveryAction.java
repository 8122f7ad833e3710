package com.finledger.integrity.recovery;

import java.util.Arrays;
import java.util.List;

/** What the recovery console can do, each with the parameters it needs (in the request's {@code params}). */
public enum RecoveryAction {

    DMS_RESUME("dms-resume", "Resume or restart a DMS task", List.of("task", "start_type")),
    GLUE_RERUN("glue-rerun", "Re-run the Glue RAW load of a partition", List.of("dataset", "partition")),
    DBT_RERUN("dbt-rerun", "Re-run the dbt models of a partition", List.of("dataset", "partition")),
    FILE_REPLAY("file-replay", "Replay a quarantined partner file", List.of("file_id")),
    API_REPULL("api-repull", "Re-pull a processor API window", List.of("source", "from", "to")),
    REEVALUATE("reevaluate", "Re-evaluate a partition", List.of("dataset", "partition")),
    BACKFILL("backfill", "Backfill a date range through every layer", List.of("from", "to"));

    private final String slug;
    private final String label;
    private final List<String> params;

    RecoveryAction(String slug, String label, List<String> params) {
        this.slug = slug;
        this.label = label;
        this.params = params;
    }

    public String slug() {
        return slug;
    }

    public String label() {
        return label;
    }

    public List<String> params() {
        return params;
    }

    public static RecoveryAction of(String slug) {
        return Arrays.stream(values()).filter(a -> a.slug.equals(slug) || a.name().equals(slug)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("action: '" + slug + "' is not one of "
                        + Arrays.stream(values()).map(RecoveryAction::slug).toList()));
    }
}
