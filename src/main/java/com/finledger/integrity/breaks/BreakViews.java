package com.finledger.integrity.breaks;

import com.finledger.integrity.platform.Fmt;

import com.finledger.integrity.breaks.BreakCase.State;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How breaks read for people and in JSON: money with thousands separators and currency, ages in words. */
public final class BreakViews {

    private BreakViews() {
    }

    /** Exact minor units as money by the currency's exponent ({@link Fmt#money}). */
    public static String money(long minor, String currency) {
        return Fmt.money(minor, currency);
    }

    public static String age(Duration age) {
        return Fmt.age(age);
    }

    /** One break as the API and the pages show it. */
    public record BreakView(long id, String rule, String reason, String reasonLabel, String severity, String state,
                            String businessDate, Instant occurredAt, String processor, String partner,
                            String leftDataset, String leftItem, Long leftAmountMinor, String leftCurrency,
                            String rightDataset, String rightItem, Long rightAmountMinor, String rightCurrency,
                            long amountAtRiskMinor, String currency, String amountAtRisk, String owner,
                            Instant firstSeenAt, Instant dueAt, String age, boolean overdue, Long firstSeenRunId,
                            Long closedByRunId, String resolution, String writeOffRequestedBy, String writeOffReason) {

        public static BreakView of(BreakCase b, Instant now) {
            return new BreakView(b.id, b.ruleName, b.reason.name(), b.reason.label(), b.severity.name(), b.state.name(),
                    b.businessDate.toString(), b.occurredAt, b.processor, b.partner, b.leftDataset, b.leftItem,
                    b.leftAmountMinor, b.leftCurrency, b.rightDataset, b.rightItem, b.rightAmountMinor, b.rightCurrency,
                    b.amountAtRiskMinor, b.currency, money(b.amountAtRiskMinor, b.currency), b.owner, b.firstSeenAt,
                    b.dueAt, BreakViews.age(b.age(now)), b.overdue(now), b.firstSeenRunId, b.closedByRunId, b.resolution,
                    b.writeOffRequestedBy, b.writeOffReason);
        }

        public boolean open() {
            return state.equals(State.OPEN.name()) || state.equals(State.INVESTIGATING.name());
        }

        public String leftAmount() {
            return leftAmountMinor == null ? "" : money(leftAmountMinor, leftCurrency);
        }

        public String rightAmount() {
            return rightAmountMinor == null ? "" : money(rightAmountMinor, rightCurrency);
        }
    }
}
