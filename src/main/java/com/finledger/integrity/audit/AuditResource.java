package com.finledger.integrity.audit;

import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Reading and verifying the audit log: JSON for machines, a paginated page for people. */
@Path("/")
@RolesAllowed({Roles.AUDITOR, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
public class AuditResource {

    static final int PAGE_SIZE = 50;

    @Inject
    AuditLog auditLog;

    @Inject
    @Location("audit.html")
    Template page;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("api/v1/audit/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public AuditVerification verify() {
        return auditLog.verify();
    }

    @GET
    @Path("api/v1/audit")
    @Produces(MediaType.APPLICATION_JSON)
    public List<AuditEntry> entries(@QueryParam("subjectType") String subjectType,
                                    @QueryParam("subjectId") String subjectId,
                                    @QueryParam("before") @DefaultValue("9223372036854775807") long before,
                                    @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, not " + limit);
        }
        return auditLog.page(subjectType, subjectId, before, limit);
    }

    @GET
    @Path("audit")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance auditPage(@QueryParam("before") @DefaultValue("9223372036854775807") long before,
                                      @QueryParam("verify") boolean verify) {
        List<AuditEntry> entries = auditLog.page(null, null, before, PAGE_SIZE + 1);
        boolean more = entries.size() > PAGE_SIZE;
        List<AuditEntry> shown = more ? entries.subList(0, PAGE_SIZE) : entries;
        return Pages.page(page.data("entries", shown)
                .data("nextBefore", more ? shown.get(shown.size() - 1).seq() : null)
                .data("verification", verify ? auditLog.verify() : null), identity, "/audit");
    }
}
