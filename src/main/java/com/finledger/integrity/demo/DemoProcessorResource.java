package com.finledger.integrity.demo;

import com.finledger.integrity.platform.Problem;
import com.finledger.integrity.pipeline.ProcessorApi;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo world's processor APIs over HTTP, in the shape the real processors answer: so the
 * production REST client can be pointed at this machine ({@code finledger.ports.processor-api=http}).
 * Only served when {@code finledger.demo.serve-processor-apis} is on (dev and test); a machine
 * caller authenticates with the processor's API key, as with the real ones.
 */
@Path("/demo/processors/{processor}/v1/transactions")
@PermitAll
public class DemoProcessorResource {

    @Inject
    DemoProcessorApi api;

    @Inject
    DemoConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response page(@PathParam("processor") String processor, @QueryParam("updated_from") String from,
                         @QueryParam("updated_to") String to, @QueryParam("business_date") String businessDate,
                         @QueryParam("page_token") String pageToken,
                         @QueryParam("limit") Integer limit, @HeaderParam("X-Api-Key") String key) {
        if (!config.serveProcessorApis() || !processor.matches("alpha|beta")) {
            return problem(404, "no demo processor API " + processor + " (alpha, beta) is served here");
        }
        if (!config.processorApiKey().equals(key)) {
            return problem(401, "missing or wrong X-Api-Key");
        }
        int size = limit == null ? 500 : limit;
        if (businessDate != null) {
            java.time.LocalDate date;
            try {
                date = java.time.LocalDate.parse(businessDate);
            } catch (DateTimeParseException e) {
                return problem(400, "business_date must be an ISO-8601 date");
            }
            if (size < 1 || size > 1000) {
                return problem(400, "limit must be 1..1000");
            }
            return body(api.fetchBusinessDate("processor_" + processor, date, Optional.ofNullable(pageToken), size));
        }
        Instant fromTs;
        Instant toTs;
        try {
            fromTs = Instant.parse(String.valueOf(from));
            toTs = Instant.parse(String.valueOf(to));
        } catch (DateTimeParseException e) {
            return problem(400, "give business_date, or updated_from and updated_to as ISO-8601 instants");
        }
        if (size < 1 || size > 1000 || !toTs.isAfter(fromTs)) {
            return problem(400, "limit must be 1..1000 and updated_to after updated_from");
        }
        return body(api.fetch("processor_" + processor, fromTs, toTs, Optional.ofNullable(pageToken), size));
    }

    private static Response body(ProcessorApi.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.records());
        body.put("next_page_token", page.nextPageToken().orElse(null));
        return Response.ok(body).build();
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Problem.of(status, status == 401 ? "Unauthorized" : "Bad request", detail)).build();
    }
}
