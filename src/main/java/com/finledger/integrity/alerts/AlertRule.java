package com.finledger.integrity.alerts;

import java.time.Duration;

/**
 * One rule of {@code rules/alerts/*.yaml}: raise {@code kind} alerts at {@code severity}, repeat the
 * notification every {@code renotify} while firing, group notifications by {@code groupBy}
 * ({@code rule} or {@code subject}). {@code retries}: for Glue, the attempts a job may fail before it alerts.
 */
public record AlertRule(String name, AlertKind kind, Severity severity, String summary, Duration renotify,
                        GroupBy groupBy, int retries, String file, int line) {

    public enum Severity {
        CRITICAL, WARNING
    }

    public enum GroupBy {
        RULE, SUBJECT
    }
}
