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

    /** A body that is not the JSON we expect: say where it broke, not just "400". */
    @ServerExceptionMapper
    public Response malformedJson(com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return problem(400, "Malformed JSON body", e.getOriginalMessage() + where);
    }

    /** JSON of the wrong shape (an array for an object, text for a number). */
    @ServerExceptionMapper
    public Response wrongShape(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return malformedJson(e);
    }

    /** The JSON reader wraps its parse errors; unwrap them into the same problem body. */
    @ServerExceptionMapper
    public Response unreadableBody(jakarta.ws.rs.WebApplicationException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return malformedJson(json);
        }
        Response r = e.getResponse();
        // a bare 4xx (BadRequestException("limit must be 1..5000"), an unknown path, a wrong method or media
        // type) says why in the same problem body as every other refusal
        if (r != null && r.getStatus() >= 400 && r.getStatus() < 500 && !r.hasEntity()) {
            String title = r.getStatusInfo().getReasonPhrase();
            Response.ResponseBuilder b = Response.fromResponse(r).type(MediaType.APPLICATION_JSON)
                    .entity(Problem.of(r.getStatus(), title == null ? "Client error" : title, e.getMessage()));
            return b.build();
        }
        return r;
    }

    /** A multipart body that does not parse (schemathesis sent one to an endpoint taking any type): 400, not 500. */
    @ServerExceptionMapper
    public Response malformedMultipart(org.jboss.resteasy.reactive.server.core.multipart.MultipartParser
                                               .MalformedMessageException e) {
        return problem(400, "Malformed multipart body", "the multipart/form-data body does not parse");
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
