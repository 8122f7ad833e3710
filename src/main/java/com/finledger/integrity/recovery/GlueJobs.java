package com.finledger.integrity.recovery;

import java.util.Map;

/**
 * Runs a Glue job again: AWS Glue's StartJobRun / GetJobRun in production; on this machine the RAW load the
 * job stands for, run in place. Job arguments use Glue's {@code --name} form.
 */
public interface GlueJobs {

    /** Starts a run of the job with these arguments; returns its run id. */
    String startJobRun(String jobName, Map<String, String> arguments);

    /** The run's state in Glue's words: STARTING, RUNNING, SUCCEEDED, FAILED, TIMEOUT, ERROR, STOPPED... */
    String runState(String jobName, String runId);

    static boolean finished(String state) {
        return !java.util.List.of("STARTING", "RUNNING", "STOPPING", "WAITING").contains(state);
    }
}
