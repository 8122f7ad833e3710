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

    @Inject
    AuditSearch search;

    @GET
    @Path("audit")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance auditPage(@QueryParam("before") @DefaultValue("9223372036854775807") long before,
                                      @QueryParam("verify") boolean verify,
                                      @QueryParam("subject") @DefaultValue("") String subject,
                                      @QueryParam("actor") @DefaultValue("") String actor,
                                      @QueryParam("action") @DefaultValue("") String action,
                                      @QueryParam("from") @DefaultValue("") String from,
                                      @QueryParam("to") @DefaultValue("") String to,
                                      @QueryParam("who") @DefaultValue("") String who) {
        if (!who.isEmpty() && !who.equals("people") && !who.equals("system")) {
            throw new IllegalArgumentException("who: must be people or system, not " + who);
        }
        AuditSearch.Filter filter = new AuditSearch.Filter(subject, actor, action, date("from", from), date("to", to),
                who);
        List<AuditEntry> entries = search.page(filter, before, PAGE_SIZE + 1);
        boolean more = entries.size() > PAGE_SIZE;
        List<AuditEntry> shown = more ? entries.subList(0, PAGE_SIZE) : entries;
        String query = jakarta.ws.rs.core.UriBuilder.fromPath("/audit").queryParam("subject", subject)
                .queryParam("actor", actor).queryParam("action", action).queryParam("from", from)
                .queryParam("to", to).queryParam("who", who).build().toString();
        return Pages.page(page.data("entries", shown)
                .data("groups", AuditSearch.group(shown))
                .data("filter", filter).data("fromText", from).data("toText", to)
                .data("olderHref", more ? query + "&before=" + shown.get(shown.size() - 1).seq() : null)
                .data("nextBefore", more ? shown.get(shown.size() - 1).seq() : null)
                .data("verification", verify ? auditLog.verify() : null), identity, "/audit");
    }

    private static java.time.LocalDate date(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not a date (YYYY-MM-DD): " + text);
        }
    }
}
