package com.finledger.integrity.alerts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * An alert: one per fingerprint (rule + subject). FIRING while its rule still sees the condition, RESOLVED
 * once it does not; firing again later starts a new episode on the same row.
 */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    public enum State {
        FIRING, RESOLVED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String fingerprint;

    @Column(name = "rule_name")
    public String ruleName;

    @Enumerated(EnumType.STRING)
    public AlertKind kind;

    @Enumerated(EnumType.STRING)
    public AlertRule.Severity severity;

    public String subject;

    @Column(name = "group_key")
    public String groupKey;

    public String summary;

    public String runbook;

    @Enumerated(EnumType.STRING)
    public State state;

    public int episode;

    @Column(name = "first_fired_at")
    public Instant firstFiredAt;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "last_notified_at")
    public Instant lastNotifiedAt;

    public int notifications;

    public static Optional<Alert> byFingerprint(String fingerprint) {
        return find("fingerprint", fingerprint).firstResultOptional();
    }
}
