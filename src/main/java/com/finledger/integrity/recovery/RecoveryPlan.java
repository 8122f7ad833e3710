package com.finledger.integrity.recovery;

import java.util.List;
import java.util.Map;

/**
 * The dry run of a recovery action: the steps it will run, in order, and what each will touch as it stands
 * now. Computing it reads and changes nothing; a job runs exactly these steps.
 */
public record RecoveryPlan(String action, String actionLabel, String targetKey, Map<String, String> params,
                           List<Step> steps, List<Touch> touches, List<String> notes) {

    /** One idempotent step of a job. */
    public record Step(String kind, String label, Map<String, String> args) {
    }

    /** Something the action will work on, with its state now (a partition, a file, a window, a task, models). */
    public record Touch(String kind, String name, String state, String detail, String href) {
    }
}
