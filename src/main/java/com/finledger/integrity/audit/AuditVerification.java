package com.finledger.integrity.audit;

/**
 * The result of re-walking the chain. When broken, {@code firstBrokenSeq} is the first entry that
 * does not follow from its predecessor and {@code problem} says how.
 */
public record AuditVerification(boolean intact, long entriesChecked, Long firstBrokenSeq, String problem,
                                String headHash) {
}
