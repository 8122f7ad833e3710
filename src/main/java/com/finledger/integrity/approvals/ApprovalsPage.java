package com.finledger.integrity.approvals;

import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The approvals inbox: decisions waiting for me first, then what waits for others (mine among them). */
@Path("/approvals")
@RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
public class ApprovalsPage {

    @Inject
    @Location("approvals.html")
    Template page;

    @Inject
    ApprovalsInbox inbox;

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance get() {
        List<ApprovalsInbox.Item> all = inbox.waiting(identity);
        return Pages.page(page.data("forMe", all.stream().filter(ApprovalsInbox.Item::canDecide).toList())
                .data("others", all.stream().filter(i -> !i.canDecide()).toList()), identity, "/approvals");
    }
}
