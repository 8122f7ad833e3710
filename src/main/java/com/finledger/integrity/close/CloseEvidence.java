package com.finledger.integrity.close;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** The sealed evidence pack of a closed period's sign-off round, stored as built so every download is the same. */
@Entity
@Table(name = "close_evidence")
public class CloseEvidence extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "period_id")
    public long periodId;

    @Column(name = "signoff_round")
    public int signoffRound;

    @Column(name = "seal_sha256")
    public String sealSha256;

    public byte[] archive;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Column(name = "built_at")
    public Instant builtAt;

    @Column(name = "build_millis")
    public long buildMillis;

    public static Optional<CloseEvidence> of(long periodId, int round) {
        return find("periodId = ?1 and signoffRound = ?2", periodId, round).firstResultOptional();
    }
}
