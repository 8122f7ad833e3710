package com.finledger.integrity.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A version of a dataset (its version facet, else {@code run:<runId>} of the run that wrote it). */
@Entity
@Table(name = "lineage_dataset_version")
public class LineageDatasetVersion extends PanacheEntityBase {

    @Id
    public Long id;
    @Column(name = "dataset_id")
    public Long datasetId;
    public String version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by_run")
    public UUID createdByRun;
    @JdbcTypeCode(SqlTypes.JSON)
    public String facets;
}
