package com.finledger.integrity.alerts;

import java.util.Arrays;
import java.util.Optional;

/** What an alert is about; each kind has one runbook section at {@code /runbooks#<slug>}. */
public enum AlertKind {
    SLO_BREACH, BLOCKED_PARTITION, PARTNER_FILE_MISSING, DMS_TASK_FAILING, GLUE_JOB_FAILED, CONTROL_IMBALANCE,
    AUDIT_CHAIN_BROKEN, EVALUATION_FAILING;

    /** The name used in rule files and runbook anchors: {@code glue-job-failed}. */
    public String slug() {
        return name().toLowerCase().replace('_', '-');
    }

    public String runbook() {
        return "/runbooks#" + slug();
    }

    public static Optional<AlertKind> ofSlug(String slug) {
        return Arrays.stream(values()).filter(k -> k.slug().equals(slug)).findFirst();
    }
}
