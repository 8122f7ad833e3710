package com.finledger.integrity.alerts;

import java.time.Instant;
import java.util.List;

/** A channel that tells people about alerts (SNS topic, Slack-compatible webhook). */
public interface Notifier {

    enum Kind {
        FIRING, REPEAT, RESOLVED
    }

    /** One notification: a group of alerts of one rule (or one subject) that changed together. */
    record Notification(Kind kind, String rule, AlertRule.Severity severity, String groupKey, List<Item> alerts,
                        Instant at) {

        public String title() {
            return "[" + (kind == Kind.RESOLVED ? "RESOLVED" : severity.name()) + "] " + rule + ": " + alerts.size()
                    + " alert" + (alerts.size() == 1 ? "" : "s") + (kind == Kind.REPEAT ? " still firing" : "");
        }

        public String text(String baseUrl) {
            StringBuilder b = new StringBuilder(title());
            for (Item a : alerts) {
                b.append("\n- ").append(a.subject()).append(": ").append(a.summary()).append(" (runbook: ")
                        .append(baseUrl).append(a.runbook()).append(")");
            }
            return b.toString();
        }
    }

    record Item(long alertId, String fingerprint, String subject, String summary, String runbook) {
    }

    String channel();

    /** Delivers or throws; the engine records either. */
    void send(Notification notification);
}
