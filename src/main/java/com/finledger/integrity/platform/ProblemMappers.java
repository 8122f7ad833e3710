package com.finledger.integrity.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.NoSuchElementException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps domain exceptions to specific problem bodies instead of bare 500s. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response notFound(NoSuchElementException e) {
        return problem(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return problem(400, "Bad request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(SecurityException e) {
        return problem(403, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(IllegalStateException e) {
        return problem(409, "Conflict", e.getMessage());
    }

    static Response problem(int status, String title, String detail) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Problem.of(status, title, detail))
                .build();
    }
}
