package com.finledger.integrity.rules;

/** A rule's verdict on one partition: failing rows found, how many of them were released, and why. */
public record RuleOutcome(Rule rule, boolean passed, long failedRows, long releasedRows, String message,
                          boolean releasable) {

    /** A row-level verdict: releasing every failing row makes the rule pass. */
    static RuleOutcome rows(Rule rule, long failedRows, String message) {
        return new RuleOutcome(rule, failedRows == 0, failedRows, 0, message, true);
    }

    /** A verdict on the partition as a whole (freshness, volume, added fields): no row to release. */
    static RuleOutcome partition(Rule rule, boolean passed, String message) {
        return new RuleOutcome(rule, passed, 0, 0, message, false);
    }

    public boolean blocks() {
        return !passed && rule.severity() == Rule.Severity.BLOCK;
    }
}
