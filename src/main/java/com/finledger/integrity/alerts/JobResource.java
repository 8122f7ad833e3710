package com.finledger.integrity.alerts;

import com.finledger.integrity.alerts.AlertResource.JobView;
import com.finledger.integrity.alerts.AlertResource.RunView;
import com.finledger.integrity.operations.PipelineJob;
import com.finledger.integrity.operations.PipelineJobRun;
import com.finledger.integrity.operations.SloService;
import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The pipeline jobs (DMS tasks, Glue jobs, AppFlow flows) and their runs, as the AWS events left them. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @GET
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.AUDITOR, Roles.PIPELINE})
    @Transactional
    public List<JobView> jobs(@QueryParam("failed") @DefaultValue("false") boolean failedOnly) {
        List<PipelineJob> jobs = failedOnly ? PipelineJob.failed() : PipelineJob.list("order by kind, name");
        return jobs.stream().limit(500).map(j -> new JobView(j.id, j.kind.name(), j.name, j.state, j.stateAt,
                j.lastRunId, j.message, PipelineJobRun.ofJob(j.id).stream().limit(20).map(r -> new RunView(r.runId,
                        r.attempt, r.state, r.stateAt, r.startedAt, r.endedAt, r.recordsProcessed, r.message))
                        .toList())).toList();
    }

}
