package com.finledger.integrity.alerts;

import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The alerts page: what is firing, what resolved lately, and the silences with their forms. */
@Path("/alerts")
@RolesAllowed({Roles.OPS, Roles.ADMIN})
public class AlertPages {

    @Inject
    @Location("alerts.html")
    Template page;

    @Inject
    AlertEngine engine;

    @Inject
    AlertRules rules;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance alerts(@jakarta.ws.rs.QueryParam("rule") @jakarta.ws.rs.DefaultValue("") String rule) {
        Instant now = clock.instant();
        String byRule = rule.isEmpty() ? "" : " and ruleName = ?2";
        Object[] firingArgs = rule.isEmpty() ? new Object[] {Alert.State.FIRING} : new Object[] {Alert.State.FIRING, rule};
        Object[] resolvedArgs = rule.isEmpty() ? new Object[] {Alert.State.RESOLVED}
                : new Object[] {Alert.State.RESOLVED, rule};
        long firingCount = Alert.count("state = ?1" + byRule, firingArgs);
        List<AlertSilence> active = AlertSilence.active(now);
        List<FiringView> firing = Alert.<Alert>find("state = ?1" + byRule + " order by firedAt desc, id desc",
                firingArgs).page(0, 200).list().stream().map(a -> new FiringView(AlertResource.AlertView.of(a),
                        active.stream().filter(s -> s.matches(a)).max(java.util.Comparator.comparing(s -> s.expiresAt))
                                .map(s -> AlertResource.SilenceView.of(s, now)).orElse(null))).toList();
        List<AlertResource.AlertView> resolved = Alert.<Alert>find("state = ?1" + byRule + " order by resolvedAt desc",
                resolvedArgs).page(0, 50).list().stream().map(AlertResource.AlertView::of).toList();
        List<AlertResource.SilenceView> silences = AlertSilence.<AlertSilence>list("order by createdAt desc").stream()
                .limit(50).map(s -> AlertResource.SilenceView.of(s, now)).toList();
        return Pages.page(page.data("firing", firing).data("resolved", resolved).data("silences", silences)
                .data("rules", rules.rules().stream().map(AlertRule::name).toList())
                .data("rule", rule).data("firingCount", firingCount)
                .data("ruleErrors", rules.lastErrors()), identity, "/alerts");
    }

    /** A firing alert and the active silence (the one lasting longest) that mutes it, if any. */
    public record FiringView(AlertResource.AlertView alert, AlertResource.SilenceView silence) {
    }

    @POST
    @Path("/silences")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response silence(@FormParam("rule") String rule, @FormParam("subject_like") String subjectLike,
                            @FormParam("reason") String reason, @FormParam("duration") String duration) {
        Duration d;
        try {
            d = Duration.parse(duration == null ? "" : duration);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("duration: an ISO-8601 duration such as PT2H, not '" + duration + "'");
        }
        engine.silence(rule, subjectLike, reason, clock.instant().plus(d), identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/alerts")).build();
    }

    @POST
    @Path("/silences/{id}/expire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response expire(@PathParam("id") long id) {
        engine.expire(id, identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/alerts")).build();
    }
}
