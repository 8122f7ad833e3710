package com.finledger.integrity.security;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sign-in form for the built-in users (dev/test), and sign-out for every mode. */
@Path("/")
public class LoginPage {

    @Inject
    @Location("login.html")
    Template login;

    @ConfigProperty(name = "quarkus.security.users.embedded.enabled", defaultValue = "false")
    boolean demoUsers;

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
    String cookieName;

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance get(@QueryParam("error") boolean error) {
        return login.data("error", error).data("demoUsers", demoUsers);
    }

    @POST
    @Path("logout")
    @PermitAll
    public Response logout() {
        NewCookie expired = new NewCookie.Builder(cookieName).path("/").maxAge(0).value("").build();
        return Response.seeOther(URI.create("/login")).cookie(expired).build();
    }
}
