package com.finledger.integrity.matching;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One run of one match rule over one scope, versioned per rule and scope. */
@Entity
@Table(name = "match_run")
public class MatchRun extends PanacheEntityBase {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "scope_key")
    public String scopeKey;

    public int version;

    @Column(name = "rule_set_hash")
    public String ruleSetHash;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public State state;

    public String actor;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "left_records")
    public Long leftRecords;

    @Column(name = "right_records")
    public Long rightRecords;

    @Column(name = "matched_left")
    public Long matchedLeft;

    @Column(name = "breaks_found")
    public Integer breaksFound;

    @Column(name = "breaks_opened")
    public Integer breaksOpened;

    @Column(name = "breaks_closed")
    public Integer breaksClosed;

    @Column(name = "newest_source_at")
    public Instant newestSourceAt;

    @Column(name = "lag_seconds")
    public Long lagSeconds;

    @Column(name = "lag_objective_seconds")
    public int lagObjectiveSeconds = 600;

    /** Where the lag is measured from: {@code source_commit} (the sources' own change times) or {@code record_time}. */
    @Column(name = "lag_basis")
    public String lagBasis;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public String summary;

    public String error;

    public static int nextVersion(String ruleName, String scopeKey) {
        Integer max = getEntityManager().createQuery(
                        "select max(m.version) from MatchRun m where m.ruleName = ?1 and m.scopeKey = ?2", Integer.class)
                .setParameter(1, ruleName).setParameter(2, scopeKey).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    public static List<MatchRun> recent(int limit) {
        return find("order by id desc").page(0, limit).list();
    }

    /** The lag for people: {@code 42 s}, {@code 3 min 5 s}, {@code 28 d 15 h}. */
    public String lagText() {
        if (lagSeconds == null) {
            return "";
        }
        long s = lagSeconds;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 172_800) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    public boolean withinObjective() {
        return lagSeconds != null && lagSeconds <= lagObjectiveSeconds;
    }
}
