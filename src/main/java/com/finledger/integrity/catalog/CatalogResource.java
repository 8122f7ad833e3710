package com.finledger.integrity.catalog;

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

/** The catalog as JSON for machines and as a page for people. */
@Path("/")
@RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE, Roles.ADMIN})
public class CatalogResource {

    @Inject
    CatalogService catalogService;

    @Inject
    @Location("catalog.html")
    Template page;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("api/v1/catalog")
    @Produces(MediaType.APPLICATION_JSON)
    public Catalog catalog() {
        return catalogService.catalog();
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance catalogPage() {
        return Pages.page(page.data("catalog", catalogService.catalog()), identity, "/catalog");
    }
}
