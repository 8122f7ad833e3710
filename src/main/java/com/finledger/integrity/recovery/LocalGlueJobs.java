package com.finledger.integrity.recovery;

import com.finledger.integrity.pipeline.LocalPipelineRunner;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * The local stand-in for the Glue job that loads a landed partition into RAW: it loads the partition's landed
 * objects again in place (the warehouse keeps one row per object version and line, so nothing doubles) and
 * is finished when the call returns.
 */
public class LocalGlueJobs implements GlueJobs {

    private final LocalPipelineRunner pipeline;

    public LocalGlueJobs(LocalPipelineRunner pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public String startJobRun(String jobName, Map<String, String> arguments) {
        String dataset = required(arguments, "--dataset");
        LocalDate date = LocalDate.parse(required(arguments, "--business_date"));
        long lines = pipeline.reloadRaw(dataset, date);
        return "local_" + UUID.nameUUIDFromBytes((jobName + arguments).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "_" + lines;
    }

    @Override
    public String runState(String jobName, String runId) {
        return "SUCCEEDED";   // a local run has finished when startJobRun returns
    }

    private static String required(Map<String, String> arguments, String name) {
        String value = arguments.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Glue argument " + name + " is required");
        }
        return value;
    }
}
