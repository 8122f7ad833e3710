package com.finledger.integrity.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Who the caller is to us: lets a client (the Airflow connection test) check its credentials. */
@Path("/api/v1/whoami")
public class WhoAmIResource {

    @Inject
    SecurityIdentity identity;

    public record WhoAmI(String user, List<String> roles) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE,
            Roles.ADMIN})
    public WhoAmI whoAmI() {
        return new WhoAmI(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }
}
