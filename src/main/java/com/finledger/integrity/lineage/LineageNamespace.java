package com.finledger.integrity.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A namespace of jobs and datasets (e.g. {@code postgres://host:5432}, {@code s3://bucket}, {@code finledger}). */
@Entity
@Table(name = "lineage_namespace")
public class LineageNamespace extends PanacheEntityBase {

    @Id
    public Long id;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
