package com.finledger.integrity.close;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A finance partition's control totals at one layer as they were signed in a sign-off round. */
@Entity
@Table(name = "close_signed_total")
public class CloseSignedTotal extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "period_id")
    public long periodId;

    @Column(name = "signoff_round")
    public int signoffRound;

    public String dataset;

    @Column(name = "partition_key")
    public String partitionKey;

    public String layer;

    @Column(name = "row_count")
    public long rowCount;

    @Column(name = "distinct_keys")
    public Long distinctKeys;

    @Column(name = "key_fingerprint")
    public Long keyFingerprint;

    /** Minor units per currency as exact text: {"EUR": "25415541"}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String amounts;

    public static List<CloseSignedTotal> of(long periodId, int round) {
        return list("periodId = ?1 and signoffRound = ?2 order by dataset, partitionKey, layer", periodId, round);
    }
}
