package com.finledger.integrity.alerts;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.platform.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Evaluates the alert rules: a condition that holds fires an alert once per fingerprint (rule + subject),
 * repeats the notification every {@code renotify} while it holds, and resolves it (with a notification)
 * when it no longer does. Notifications are grouped per rule (or per subject) and evaluation; silenced
 * alerts still fire and show but are not sent.
 */
@ApplicationScoped
public class AlertEngine {

    private static final Logger LOG = Logger.getLogger(AlertEngine.class);

    public record Evaluation(int firing, int fired, int resolved, int notificationsSent, int silenced) {
    }

    @Inject
    AlertRules rules;

    @Inject
    AlertSignals signals;

    @Inject
    Notifiers notifiers;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    @Inject
    javax.sql.DataSource dataSource;

    public Evaluation evaluate() {
        return evaluate(clock.instant());
    }

    @Transactional
    public Evaluation evaluate(Instant now) {
        int fired = 0;
        int resolved = 0;
        int sent = 0;
        int silencedCount = 0;
        List<AlertSilence> silences = AlertSilence.active(now);
        for (AlertRule rule : rules.rules()) {
            List<AlertSignals.Signal> seen;
            try {
                seen = signals.current(rule, now);
            } catch (RuntimeException e) {
                LOG.errorf("alert rule %s could not be evaluated: %s", rule.name(), e.getMessage());
                continue;
            }
            Map<String, List<Alert>> toSend = new LinkedHashMap<>();
            Set<String> holding = new HashSet<>();
            for (AlertSignals.Signal s : seen) {
                String fingerprint = fingerprint(rule, s.subject());
                holding.add(fingerprint);
                Alert alert = Alert.byFingerprint(fingerprint).orElse(null);
                Notifier.Kind kind = null;
                if (alert == null) {
                    alert = new Alert();
                    alert.fingerprint = fingerprint;
                    alert.ruleName = rule.name();
                    alert.kind = rule.kind();
                    alert.subject = s.subject();
                    alert.episode = 1;
                    alert.firstFiredAt = now;
                    alert.firedAt = now;
                    alert.state = Alert.State.FIRING;
                    kind = Notifier.Kind.FIRING;
                } else if (alert.state == Alert.State.RESOLVED) {
                    alert.episode++;
                    alert.firedAt = now;
                    alert.resolvedAt = null;
                    alert.lastNotifiedAt = null;
                    alert.state = Alert.State.FIRING;
                    kind = Notifier.Kind.FIRING;
                } else if (alert.lastNotifiedAt == null || !now.isBefore(alert.lastNotifiedAt.plus(rule.renotify()))) {
                    kind = alert.lastNotifiedAt == null ? Notifier.Kind.FIRING : Notifier.Kind.REPEAT;
                }
                alert.severity = rule.severity();
                alert.summary = rule.summary() + ": " + s.detail();
                alert.runbook = rule.kind().runbook();
                alert.groupKey = rule.groupBy() == AlertRule.GroupBy.RULE ? rule.name() : rule.name() + "/" + s.subject();
                alert.lastSeenAt = now;
                if (alert.id == null) {
                    alert.persist();
                }
                if (kind == Notifier.Kind.FIRING && alert.lastNotifiedAt == null && alert.notifications == 0
                        || kind == Notifier.Kind.FIRING && alert.episode > 1 && alert.firedAt.equals(now)) {
                    fired++;
                }
                if (kind != null) {
                    Alert a = alert;
                    if (silences.stream().anyMatch(x -> x.matches(a))) {
                        silencedCount++;
                    } else {
                        toSend.computeIfAbsent(kind.name() + "|" + alert.groupKey, k -> new ArrayList<>()).add(alert);
                    }
                }
            }
            for (Alert alert : Alert.<Alert>list("ruleName = ?1 and state = ?2", rule.name(), Alert.State.FIRING)) {
                if (!holding.contains(alert.fingerprint)) {
                    alert.state = Alert.State.RESOLVED;
                    alert.resolvedAt = now;
                    resolved++;
                    Alert a = alert;
                    if (alert.notifications > 0 && silences.stream().noneMatch(x -> x.matches(a))) {
                        toSend.computeIfAbsent(Notifier.Kind.RESOLVED.name() + "|" + alert.groupKey,
                                k -> new ArrayList<>()).add(alert);
                    }
                }
            }
            for (Map.Entry<String, List<Alert>> group : toSend.entrySet()) {
                Notifier.Kind kind = Notifier.Kind.valueOf(group.getKey().substring(0, group.getKey().indexOf('|')));
                sent += send(rule, kind, group.getValue(), now);
            }
        }
        long firing = Alert.count("state", Alert.State.FIRING);
        return new Evaluation((int) firing, fired, resolved, sent, silencedCount);
    }

    private int send(AlertRule rule, Notifier.Kind kind, List<Alert> alerts, Instant now) {
        Notifier.Notification n = new Notifier.Notification(kind, rule.name(), rule.severity(),
                alerts.get(0).groupKey, alerts.stream().map(a -> new Notifier.Item(a.id, a.fingerprint, a.subject,
                        a.summary, a.runbook)).toList(), now);
        int delivered = 0;
        for (Notifier notifier : notifiers.channels()) {
            String error = null;
            try {
                notifier.send(n);
                delivered++;
            } catch (RuntimeException e) {
                error = e.getMessage();
                LOG.errorf("alert notification via %s failed: %s", notifier.channel(), error);
            }
            for (Alert a : alerts) {
                em.createNativeQuery("""
                                insert into alert_notification (alert_id, episode, channel, kind, sent_at, delivered, error)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                        .setParameter(1, a.id).setParameter(2, a.episode).setParameter(3, notifier.channel())
                        .setParameter(4, kind.name()).setParameter(5, now).setParameter(6, error == null)
                        .setParameter(7, error).executeUpdate();
            }
        }
        for (Alert a : alerts) {
            a.lastNotifiedAt = now;
            a.notifications++;
        }
        return delivered;
    }

    /** In the current transaction: the silence and its audit entry commit together. */
    private void audit(String actor, String action, AlertSilence s, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", s.ruleName);
        details.put("subject_like", s.subjectLike);
        details.put("expires_at", s.expiresAt.toString());
        try (java.sql.Connection c = dataSource.getConnection()) {
            audit.append(c, actor, action, "alert_silence", String.valueOf(s.id), reason, details);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    static String fingerprint(AlertRule rule, String subject) {
        return Sha256.hex((rule.name() + "\n" + subject).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** Creates a silence; audited. */
    @Transactional
    public AlertSilence silence(String ruleName, String subjectLike, String reason, Instant expiresAt, String actor) {
        Instant now = clock.instant();
        if ((ruleName == null || ruleName.isBlank()) && (subjectLike == null || subjectLike.isBlank())) {
            throw new IllegalArgumentException("a silence needs a rule, a subject pattern, or both");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a silence needs a reason");
        }
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expires_at must be in the future");
        }
        if (ruleName != null && !ruleName.isBlank() && rules.rules().stream().noneMatch(r -> r.name().equals(ruleName))) {
            throw new IllegalArgumentException("no alert rule named '" + ruleName + "'");
        }
        AlertSilence s = new AlertSilence();
        s.ruleName = ruleName == null || ruleName.isBlank() ? null : ruleName;
        s.subjectLike = subjectLike == null || subjectLike.isBlank() ? null : subjectLike;
        s.reason = reason;
        s.createdBy = actor;
        s.createdAt = now;
        s.expiresAt = expiresAt;
        s.persist();
        em.flush();
        audit(actor, "alert.silence.create", s, reason);
        return s;
    }

    /** Ends a silence before its expiry; audited. */
    @Transactional
    public AlertSilence expire(long id, String actor) {
        AlertSilence s = AlertSilence.findById(id);
        if (s == null) {
            throw new jakarta.ws.rs.NotFoundException("no silence " + id);
        }
        if (s.expiredAt == null) {
            s.expiredAt = clock.instant();
            s.expiredBy = actor;
            audit(actor, "alert.silence.expire", s, "expired before " + s.expiresAt);
        }
        return s;
    }
}
