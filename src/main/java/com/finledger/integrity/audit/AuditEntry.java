package com.finledger.integrity.audit;

import java.time.Instant;

/** One audit event: who did what to which subject, when and why. */
public record AuditEntry(long seq, Instant occurredAt, String actor, String action, String subjectType,
                         String subjectId, String reason, String details, String prevHash, String entryHash) {
}
