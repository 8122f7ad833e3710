package com.finledger.integrity.extract;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A processor's transactions endpoint, selecting records by a window of their change time or by
 * business date (its full URL is the client's base URI), as a Quarkus REST client. The raw {@link Response} comes
 * back so that the caller decides about 429s, 5xx and bodies that are not the JSON promised.
 */
public interface ProcessorTransactionsClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response page(@QueryParam("updated_from") String from, @QueryParam("updated_to") String to,
                  @QueryParam("business_date") String businessDate, @QueryParam("page_token") String pageToken, @QueryParam("limit") int limit,
                  @HeaderParam("X-Api-Key") String apiKey);
}
