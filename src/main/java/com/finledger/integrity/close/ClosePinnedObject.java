package com.finledger.integrity.close;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.util.List;

/** A raw object version the period was built from, pinned at sign-off: what a rerun reads, and only that. */
@Entity
@Table(name = "close_pinned_object")
public class ClosePinnedObject extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "period_id")
    public long periodId;

    @Column(name = "signoff_round")
    public int signoffRound;

    public String dataset;

    @Column(name = "business_date")
    public LocalDate businessDate;

    @Column(name = "object_key")
    public String objectKey;

    @Column(name = "version_id")
    public String versionId;

    public String sha256;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Column(name = "row_count")
    public long rowCount;

    public static List<ClosePinnedObject> of(long periodId, int round) {
        return list("periodId = ?1 and signoffRound = ?2 order by dataset, businessDate, objectKey, versionId",
                periodId, round);
    }
}
