package com.finledger.integrity.matching;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One declarative match rule of {@code rules/matching/}: two sides (a left and a right relation in the
 * warehouse), the reference that ties their records, the tolerances within which two records agree,
 * and the ordered strategies that pair what the previous strategy left over.
 */
public record MatchRule(String name, String description, String owner, Cadence cadence, Duration sla,
                        Severity severity, long highSeverityFromMinor, Side left, Side right,
                        Reason unmatchedLeft, Reason unmatchedRight, Tolerance tolerance, Optional<Fx> fx,
                        List<Strategy> strategies, String file, int line) {

    /** How often the rule runs: per 15-minute window (operations) or per business date (finance). */
    public enum Cadence { WINDOW, BUSINESS_DATE }

    public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }

    /** Why a record is a break; the words ops use on the queue. */
    public enum Reason {
        MISSING_AT_PROCESSOR, MISSING_AT_BANK, MISSING_IN_LEDGER, AMOUNT_MISMATCH, DUPLICATE, CURRENCY_MISMATCH,
        TIMING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One side of a match: a dataset's table in a warehouse layer and the columns that play each part.
     * {@code referenceIsUnique} is true when the reference is the table's primary key, so the side can
     * hold no duplicates and is joined without grouping.
     */
    public record Side(String name, String dataset, String schema, String table, String id, String reference,
                       boolean referenceIsUnique, String amount, boolean amountDecimal, int minorUnits,
                       Optional<String> fee, String currency, String at, String businessDate,
                       Map<String, String> where, Optional<Attribute> processor, Optional<Attribute> partner,
                       List<String> pciColumns, Optional<BelongsTo> belongsTo) {

        public Side(String name, String dataset, String schema, String table, String id, String reference,
                    boolean referenceIsUnique, String amount, boolean amountDecimal, int minorUnits,
                    Optional<String> fee, String currency, String at, String businessDate,
                    Map<String, String> where, Optional<Attribute> processor, Optional<Attribute> partner,
                    List<String> pciColumns) {
            this(name, dataset, schema, table, id, reference, referenceIsUnique, amount, amountDecimal, minorUnits, fee,
                    currency, at, businessDate, where, processor, partner, pciColumns, Optional.empty());
        }

        /** The amount in exact minor units as SQL. */
        public String amountMinorSql(String alias) {
            String column = alias + "." + amount;
            if (!amountDecimal) {
                return column;
            }
            // exact for amounts with at most minorUnits decimals; a cast to bigint rounds anything finer
            return "cast(" + column + " * " + BigDecimal.TEN.pow(minorUnits).toPlainString() + " as bigint)";
        }
    }

    /**
     * The side holds only records whose {@code column} names a record of another dataset that passes
     * {@code where} (a refund of a payment captured through Alpha): a semi-join, so the side keeps its grain.
     */
    public record BelongsTo(String schema, String table, String column, String toColumn, Map<String, String> where) {
    }

    /** A value a break carries for filtering (processor, partner): a column of the side or a fixed text. */
    public record Attribute(Optional<String> column, Optional<String> literal) {

        public String sql(String alias) {
            return column.map(c -> alias + "." + c)
                    .orElseGet(() -> "'" + literal.orElseThrow().replace("'", "''") + "'");
        }
    }

    /**
     * Two records agree when their amounts differ by at most {@code amountMinor} minor units or by at
     * most {@code percent} per cent of the left amount, and their times lie within {@code window}.
     */
    public record Tolerance(long amountMinor, BigDecimal percent, Duration window) {
    }

    /** The bank may settle in another currency: reference rates (left → right) and how far from them it may be. */
    public record Fx(BigDecimal tolerancePercent, Map<String, BigDecimal> rates) {

        public static String pair(String from, String to) {
            return from + "/" + to;
        }
    }

    public enum StrategyType { EXACT_REFERENCE, GROUPED_REFERENCE, AMOUNT_AND_DATE, NORMALISED_REFERENCE }

    /**
     * One pass of the matcher. For {@code GROUPED_REFERENCE} the {@code many} side's leftover records are
     * grouped by a reference built from {@code groupPrefix} and {@code groupParts} (columns, joined with
     * '-') and the group's total (net of fees when {@code netOfFees}) must equal the other side's record.
     */
    public record Strategy(StrategyType type, Optional<String> many, boolean netOfFees, String groupPrefix,
                           List<String> groupParts) {

        public static Strategy of(StrategyType type) {
            return new Strategy(type, Optional.empty(), false, "", List.of());
        }

        public String slug() {
            return type.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Strategy strategy(StrategyType type) {
        return strategies.stream().filter(s -> s.type() == type).findFirst().orElse(null);
    }
}
