package com.finledger.integrity.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.finledger.integrity.operations.PipelineJob;
import com.finledger.integrity.operations.PipelineJobRun;
import com.finledger.integrity.operations.SloService;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The alerts, silences, pipeline jobs and SLOs as JSON, for on-call tooling. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    @Inject
    AlertEngine engine;

    @Inject
    AlertRules rules;

    @Inject
    SloService slos;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record AlertView(long id, String fingerprint, String rule, String kind, String severity, String subject,
                            String summary, String state, int episode, Instant firedAt, Instant resolvedAt,
                            Instant lastNotifiedAt, int notifications, String runbook) {

        static AlertView of(Alert a) {
            return new AlertView(a.id, a.fingerprint, a.ruleName, a.kind.slug(), a.severity.name().toLowerCase(),
                    a.subject, a.summary, a.state.name(), a.episode, a.firedAt, a.resolvedAt, a.lastNotifiedAt,
                    a.notifications, a.runbook);
        }
    }

    public record SilenceView(long id, String rule, String subjectLike, String reason, String createdBy,
                              Instant createdAt, Instant expiresAt, String expiredBy, Instant expiredAt, boolean active) {

        static SilenceView of(AlertSilence s, Instant now) {
            return new SilenceView(s.id, s.ruleName, s.subjectLike, s.reason, s.createdBy, s.createdAt, s.expiresAt,
                    s.expiredBy, s.expiredAt, s.activeAt(now));
        }
    }

    public record NewSilence(String rule, @JsonProperty("subject_like") String subjectLike, String reason,
                             @JsonProperty("expires_at") String expiresAt) {
    }

    public record JobView(long id, String kind, String name, String state, Instant stateAt, String lastRunId,
                          String message, List<RunView> runs) {
    }

    public record RunView(String runId, int attempt, String state, Instant stateAt, Instant startedAt, Instant endedAt,
                          Long recordsProcessed, String message) {
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.AUDITOR})
    @Transactional
    public List<AlertView> alerts(@QueryParam("state") @DefaultValue("") String state) {
        if (!state.isEmpty() && !state.equals("FIRING") && !state.equals("RESOLVED")) {
            throw new IllegalArgumentException("state: FIRING or RESOLVED, not '" + state + "'");
        }
        List<Alert> list = state.isEmpty() ? Alert.list("order by state, firedAt desc")
                : Alert.list("state = ?1 order by firedAt desc", Alert.State.valueOf(state));
        return list.stream().limit(500).map(AlertView::of).toList();
    }

    @GET
    @Path("/rules")
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.AUDITOR})
    public Map<String, Object> rules() {
        return Map.of("rules", rules.rules(), "errors", rules.lastErrors());
    }

    @POST
    @Path("/evaluations")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public AlertEngine.Evaluation evaluate() {
        return engine.evaluate();
    }

    @GET
    @Path("/silences")
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.AUDITOR})
    @Transactional
    public List<SilenceView> silences() {
        Instant now = clock.instant();
        return AlertSilence.<AlertSilence>list("order by createdAt desc").stream().limit(200)
                .map(s -> SilenceView.of(s, now)).toList();
    }

    @POST
    @Path("/silences")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response silence(NewSilence body) {
        if (body == null) {
            throw new IllegalArgumentException("body: expected {rule, subject_like, reason, expires_at}");
        }
        Instant expires;
        try {
            expires = Instant.parse(body.expiresAt() == null ? "" : body.expiresAt());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("$.expires_at: an ISO-8601 instant such as 2026-11-03T08:00:00Z");
        }
        AlertSilence s = engine.silence(body.rule(), body.subjectLike(), body.reason(), expires,
                identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/alerts/silences/" + s.id)).entity(SilenceView.of(s, clock.instant()))
                .build();
    }

    @POST
    @Path("/silences/{id}/expire")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public SilenceView expire(@PathParam("id") long id) {
        return SilenceView.of(engine.expire(id, identity.getPrincipal().getName()), clock.instant());
    }
}
