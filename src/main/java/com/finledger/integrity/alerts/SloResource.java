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

/** Freshness, end-to-end latency and error-budget burn per dataset and layer. */
@Path("/api/v1/slo")
@Produces(MediaType.APPLICATION_JSON)
public class SloResource {

    @Inject
    SloService slos;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.AUDITOR, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER})
    public Map<String, Object> slo() {
        Instant now = clock.instant();
        return Map.of("measured_at", now, "freshness", slos.measure(now), "latency", slos.latency(),
                "burn", slos.burn(now));
    }
}
