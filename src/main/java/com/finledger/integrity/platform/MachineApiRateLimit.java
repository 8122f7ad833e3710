package com.finledger.integrity.platform;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rate limit of the machine API: every authenticated caller with the {@code pipeline} role gets a token bucket
 * of its own (keyed by its principal name) on /api/. Over it: 429 with Retry-After and a problem body; nothing
 * of the request runs. People (pages) and the other roles are not limited here.
 *
 * <p>Config: {@code finledger.api.rate-limit.enabled}, {@code .requests-per-second}, {@code .burst}; a client of
 * its own with {@code finledger.api.rate-limit.client."NAME".requests-per-second} / {@code .burst}.
 */
@ApplicationScoped
public class MachineApiRateLimit {

    static final String PREFIX = "finledger.api.rate-limit.";

    @Inject
    SecurityIdentity identity;

    @Inject
    Config config;

    @ConfigProperty(name = PREFIX + "enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = PREFIX + "requests-per-second", defaultValue = "20")
    double perSecond;

    @ConfigProperty(name = PREFIX + "burst", defaultValue = "40")
    double burst;

    private volatile TokenBuckets buckets;

    @ServerRequestFilter
    public Response limit(ContainerRequestContext request) {
        if (!enabled || identity == null || identity.isAnonymous() || !identity.hasRole(Roles.PIPELINE)
                || !request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        String client = identity.getPrincipal().getName();
        TokenBuckets.Decision decision = buckets().take(client);
        if (decision.allowed()) {
            return null;
        }
        return Response.status(429).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", Long.toString(decision.retryAfterSeconds()))
                .entity(Problem.of(429, "Too many requests", "the machine API admits " + limitOf(client).perSecond()
                        + " requests per second (burst " + limitOf(client).burst() + ") per client; " + client
                        + " may retry after " + decision.retryAfterSeconds() + " s"))
                .build();
    }

    private TokenBuckets buckets() {
        TokenBuckets b = buckets;
        if (b == null) {
            synchronized (this) {
                if (buckets == null) {
                    buckets = new TokenBuckets(this::limitOf, System::nanoTime);
                }
                b = buckets;
            }
        }
        return b;
    }

    TokenBuckets.Limit limitOf(String client) {
        String own = PREFIX + "client.\"" + client + "\".";
        return new TokenBuckets.Limit(
                config.getOptionalValue(own + "requests-per-second", Double.class).orElse(perSecond),
                config.getOptionalValue(own + "burst", Double.class).orElse(burst));
    }
}
