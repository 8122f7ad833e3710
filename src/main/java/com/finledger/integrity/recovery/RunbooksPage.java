package com.finledger.integrity.recovery;

import com.finledger.integrity.platform.Pages;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Runbooks: one section per alert kind ({@code /runbooks#<kind>}), what to check and which recovery to use. */
@Path("/runbooks")
@RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE, Roles.ADMIN})
public class RunbooksPage {

    /** The alert kinds, each an anchor of the page (the alerts link to them). */
    public static final java.util.List<String> KINDS = java.util.List.of("slo-breach", "blocked-partition",
            "partner-file-missing", "dms-task-failing", "glue-job-failed", "control-imbalance", "audit-chain-broken",
            "evaluation-failing");

    @Inject
    @Location("runbooks.html")
    Template page;

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance runbooks() {
        return Pages.page(page.data("kinds", KINDS), identity, "/runbooks");
    }
}
