package com.finledger.integrity.recovery;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.GetJobRunRequest;
import software.amazon.awssdk.services.glue.model.StartJobRunRequest;

/** AWS Glue (SDK v2): StartJobRun with the job's arguments, GetJobRun for its state. */
public class AwsGlueJobs implements GlueJobs {

    private final GlueClient glue;

    public AwsGlueJobs(GlueClient glue) {
        this.glue = glue;
    }

    @Override
    public String startJobRun(String jobName, Map<String, String> arguments) {
        try {
            return glue.startJobRun(StartJobRunRequest.builder().jobName(jobName).arguments(arguments).build()).jobRunId();
        } catch (SdkException e) {
            throw new IllegalStateException("Glue StartJobRun of " + jobName + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String runState(String jobName, String runId) {
        try {
            return glue.getJobRun(GetJobRunRequest.builder().jobName(jobName).runId(runId).build()).jobRun().jobRunStateAsString();
        } catch (SdkException e) {
            throw new IllegalStateException("Glue GetJobRun " + runId + " of " + jobName + " failed: " + e.getMessage(), e);
        }
    }
}
