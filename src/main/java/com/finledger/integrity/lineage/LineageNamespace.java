package com.finledger.integrity.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A namespace of jobs and datasets (e.g. {@code postgres://host:5432}, {@code s3://bucket}, {@code finledger}). */
@Entity
@Table(name = "lineage_namespace")
public class LineageNamespace extends PanacheEntityBase {

    @Id
    public Long id;
    public String name;
}
