package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;

/**
 * Test-only baseline for LineageBench: a trivial POST of the same app with the same auth that reads
 * the body and parses it as JSON, and stores nothing. Ingest throughput is reported against it.
 */
@Path("/api/v1/bench/trivial")
public class BenchBaselineResource {

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.PIPELINE, Roles.ADMIN})
    public Response post(byte[] body) throws IOException {
        JsonNode parsed = json.readTree(body);
        return Response.status(201).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("received", parsed.isArray() ? parsed.size() : 1)).build();
    }
}
