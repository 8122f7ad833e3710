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
 * A browser posting a page form gets the 413 page instead of problem JSON.
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
            if (declared > limit && ErrorPages.browser(rc.request().path(), rc.request().getHeader(HttpHeaders.ACCEPT))) {
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(ErrorPages.staticPage(413, "Too large", "What you sent is larger than the "
                                + (limit / 1024) + " KiB this service accepts. Send a smaller file, or split it."));
                return;
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
