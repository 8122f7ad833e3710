package com.finledger.integrity.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Global request body limit with a clear answer: a request that declares a body over
 * {@code finledger.http.max-body-size} gets 413 with a problem body naming the limit, before anything reads or
 * authenticates it. A body sent without a length (chunked) is cut off by Quarkus's own
 * {@code quarkus.http.limits.max-body-size}, set a little above ours as the backstop (its 413 has no body).
 */
@ApplicationScoped
public class RequestBodyLimit {

    @ConfigProperty(name = "finledger.http.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    void register(@Observes Filters filters) {
        long limit = maxBodySize.asLongValue();
        filters.register(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                String body = "{\"status\":413,\"title\":\"Request body too large\",\"detail\":\"the body declares "
                        + declared + " bytes; this service accepts at most " + limit
                        + " bytes per request (finledger.http.max-body-size)\",\"errors\":[]}";
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(body);
                return;
            }
            rc.next();
        }, 1000);
    }
}
