package com.finledger.integrity.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A job of the lineage graph (an Airflow task, a Spark application, a dbt model, one of our own loads). */
@Entity
@Table(name = "lineage_job")
public class LineageJob extends PanacheEntityBase {

    @Id
    public Long id;
    public String namespace;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @JdbcTypeCode(SqlTypes.JSON)
    public String facets;
}
