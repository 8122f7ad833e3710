package com.finledger.integrity.matching;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Matching runs and rules over the JSON API. */
@Path("/api/v1/matching")
@Produces(MediaType.APPLICATION_JSON)
public class MatchResource {

    @Inject
    MatchRunService runs;

    @Inject
    MatchRuleService rules;

    @Inject
    SecurityIdentity identity;

    public record RunRequest(String scope, List<String> rules) {
    }

    public record RunView(long id, String rule, String scope, int version, String state, String actor,
                          java.time.Instant startedAt, java.time.Instant finishedAt, Long leftRecords, Long rightRecords,
                          Long matchedLeft, Integer breaksFound, Integer breaksOpened, Integer breaksClosed,
                          java.time.Instant newestSourceAt, Long lagSeconds, int lagObjectiveSeconds,
                          boolean withinObjective, String ruleSetHash, String error) {

        static RunView of(MatchRun r) {
            return new RunView(r.id, r.ruleName, r.scopeKey, r.version, r.state.name(), r.actor, r.startedAt,
                    r.finishedAt, r.leftRecords, r.rightRecords, r.matchedLeft, r.breaksFound, r.breaksOpened,
                    r.breaksClosed, r.newestSourceAt, r.lagSeconds, r.lagObjectiveSeconds, r.withinObjective(),
                    r.ruleSetHash, r.error);
        }
    }

    /**
     * Runs match rules over a scope now: a business date ({@code 2026-11-02}, every named or active rule)
     * or a window ({@code 2026-11-02T10:15Z}, the window-cadence rules).
     */
    @POST
    @Path("/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.PIPELINE, Roles.ADMIN})
    public List<RunView> run(RunRequest request) {
        if (request == null || request.scope() == null || request.scope().isBlank()) {
            throw new IllegalArgumentException("$.scope: a business date (2026-11-02) or a window (2026-11-02T10:15Z)");
        }
        MatchScope scope;
        try {
            scope = MatchScope.parse(request.scope().trim());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("$.scope: '" + request.scope() + "' is neither a business date "
                    + "(2026-11-02) nor a quarter-hour window (2026-11-02T10:15Z)");
        }
        List<MatchRule> selected = new ArrayList<>();
        if (request.rules() == null || request.rules().isEmpty()) {
            rules.rules().stream().filter(r -> scope.cadence() == MatchRule.Cadence.BUSINESS_DATE
                    || r.cadence() == MatchRule.Cadence.WINDOW).forEach(selected::add);
        } else {
            for (int i = 0; i < request.rules().size(); i++) {
                String name = request.rules().get(i);
                int at = i;
                selected.add(rules.rule(name).orElseThrow(() -> new IllegalArgumentException(
                        "$.rules[" + at + "]: no active match rule '" + name + "'")));
            }
        }
        String actor = identity.getPrincipal().getName();
        return selected.stream().map(rule -> RunView.of(runs.run(rule, scope, actor))).toList();
    }

    @GET
    @Path("/runs")
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE, Roles.ADMIN})
    public List<RunView> recent(@QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit: between 1 and 500");
        }
        return MatchRun.recent(limit).stream().map(RunView::of).toList();
    }

    @GET
    @Path("/rules")
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE, Roles.ADMIN})
    public Map<String, Object> activeRules() {
        return Map.of("content_hash", rules.activeHash(), "rules", rules.rules().stream().map(r -> Map.of(
                "name", r.name(), "cadence", r.cadence().name().toLowerCase(), "left", r.left().dataset(),
                "right", r.right().dataset(), "strategies", r.strategies().stream().map(MatchRule.Strategy::slug).toList(),
                "file", r.file() + ":" + r.line())).toList(), "last_errors", rules.lastErrors());
    }

    /** Reads rules/matching/ again; a set with problems is refused with each problem as file:line and changes nothing. */
    @POST
    @Path("/rules/reload")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response reload() {
        MatchRuleService.ReloadResult result = rules.reload(identity.getPrincipal().getName());
        if (!result.accepted()) {
            return Response.status(422).type(MediaType.APPLICATION_JSON).entity(Map.of("title",
                    "Match rules rejected; the previous set stays active", "status", 422, "errors", result.errors()))
                    .build();
        }
        return Response.ok(Map.of("rules", result.rules(), "content_hash", result.contentHash())).build();
    }
}
