package com.finledger.integrity.alerts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * Mutes notifications of the alerts it matches (a rule, a subject pattern with {@code *}, or both) until
 * {@code expiresAt} or until someone expires it; alerts still fire and show, they are just not sent.
 */
@Entity
@Table(name = "alert_silence")
public class AlertSilence extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "subject_like")
    public String subjectLike;

    public String reason;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "expired_by")
    public String expiredBy;

    @Column(name = "expired_at")
    public Instant expiredAt;

    public boolean activeAt(Instant now) {
        return expiredAt == null && now.isBefore(expiresAt);
    }

    public boolean matches(Alert alert) {
        return (ruleName == null || ruleName.equals(alert.ruleName))
                && (subjectLike == null || alert.subject.matches(globToRegex(subjectLike)));
    }

    public static List<AlertSilence> active(Instant now) {
        return list("expiredAt is null and expiresAt > ?1 order by expiresAt", now);
    }

    private static String globToRegex(String glob) {
        return java.util.Arrays.stream(glob.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"));
    }
}
