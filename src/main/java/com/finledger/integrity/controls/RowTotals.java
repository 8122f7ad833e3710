package com.finledger.integrity.controls;

import com.finledger.integrity.catalog.Catalog.Dataset;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Physical control totals accumulated row by row where the JVM has to touch the rows anyway: while
 * landing files and while parsing partner files. Same measures and hash as the SQL side.
 */
public final class RowTotals {

    private long rows;
    private final Fingerprint fingerprint = new Fingerprint();
    private final Amounts amounts = new Amounts();
    /** Minor units that fit a long are summed exactly as longs (the common case), and folded in on read. */
    private final java.util.HashMap<String, long[]> fast = new java.util.HashMap<>();

    /** Per micro-batch window of a windowed dataset (window key to totals); null when not windowed. */
    private final Map<String, RowTotals> windows;

    public RowTotals() {
        this.windows = null;
    }

    private RowTotals(boolean windowed) {
        this.windows = windowed ? new java.util.TreeMap<>() : null;
    }

    /** Totals for records of a dataset: cut by micro-batch window too when the dataset is windowed. */
    public static RowTotals of(Dataset dataset) {
        return new RowTotals(dataset.partitioning().windowed());
    }

    /** The totals of each micro-batch window the records fell in (empty unless made by {@link #of}). */
    public Map<String, RowTotals> windows() {
        return windows == null ? Map.of() : windows;
    }

    /**
     * The micro-batch windows of a business date that records fell in: a window belongs to the date of
     * its UTC day, so rows timed outside their business date's day belong to no window.
     */
    public Map<String, RowTotals> windowsOf(java.time.LocalDate businessDate) {
        Map<String, RowTotals> of = new java.util.TreeMap<>();
        windows().forEach((key, t) -> {
            if (key.startsWith(businessDate + "T")) {
                of.put(key, t);
            }
        });
        return of;
    }

    /** Adds one record given as column name to value text. */
    public void add(Dataset dataset, Map<String, ?> record, String changeSequence) {
        if (windows != null) {
            Object time = record.get(dataset.partitioning().timeColumn().orElseThrow());
            java.time.Instant at = time == null ? null : Timestamps.parse(time.toString());
            if (at != null) {
                windows.computeIfAbsent(dataset.partitioning().windowKey(at), k -> new RowTotals())
                        .add(dataset, record, changeSequence);
            }
        }
        List<String> key = new ArrayList<>(dataset.primaryKey().size());
        for (String column : dataset.primaryKey()) {
            Object v = record.get(column);
            key.add(v == null ? null : v.toString());
        }
        rows++;
        fingerprint.add(key, changeSequence);
        Object currency = record.get(dataset.amount().currencyColumn());
        Object amount = record.get(dataset.amount().column());
        addAmount(currency == null ? null : currency.toString(), amount == null ? null : amount.toString(),
                dataset.amount().decimal());
    }

    /**
     * Adds one record given by its key parts, numeric change sequence, currency and amount text: the
     * allocation-free way for parsers that hold fields already (same totals as {@link #add}).
     */
    public void add(List<String> key, long changeSequence, String currency, String amount, boolean decimal) {
        rows++;
        fingerprint.add(Fingerprint.hash(key, changeSequence));
        addAmount(currency, amount, decimal);
    }

    private void addAmount(String currency, String amount, boolean decimal) {
        long minor = amount == null ? Long.MIN_VALUE : fastMinorUnits(amount, decimal);
        if (minor != Long.MIN_VALUE) {
            long[] sum = fast.computeIfAbsent(currency == null ? Amounts.NO_CURRENCY : currency, k -> new long[1]);
            long next = sum[0] + minor;
            if (((sum[0] ^ next) & (minor ^ next)) >= 0) { // no long overflow
                sum[0] = next;
                return;
            }
        }
        amounts.add(currency, minorUnits(amount, decimal));
    }

    /**
     * Minor units of a plain amount ({@code -?digits(.d{1,2})?} for decimals, {@code -?digits} otherwise)
     * without allocating; {@link Long#MIN_VALUE} for anything else, which then takes the exact BigDecimal way.
     */
    static long fastMinorUnits(String text, boolean decimal) {
        int n = text.length();
        if (n == 0 || n > 17) {
            return Long.MIN_VALUE;
        }
        int i = 0;
        boolean negative = text.charAt(0) == '-';
        if (negative) {
            i = 1;
        }
        long value = 0;
        int digits = 0;
        int decimals = -1;
        for (; i < n; i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
                value = value * 10 + (ch - '0');
                digits++;
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (ch == '.' && decimal && decimals < 0) {
                decimals = 0;
            } else {
                return Long.MIN_VALUE;
            }
        }
        if (digits == 0 || decimals == 0 || decimals > 2) {
            return Long.MIN_VALUE;
        }
        if (decimal) {
            for (int d = Math.max(decimals, 0); d < 2; d++) {
                value *= 10;
            }
        }
        return negative ? -value : value;
    }

    /**
     * An amount as exact minor units. Decimal amounts are in major units with two decimals (EUR, GBP,
     * USD: every currency FinLedger settles in today); unreadable amounts count as absent.
     */
    public static BigDecimal minorUnits(Object value, boolean decimal) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(value.toString().trim());
            return decimal ? v.movePointRight(2) : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public long rows() {
        return rows;
    }

    public long fingerprint() {
        return fingerprint.value();
    }

    public Amounts amounts() {
        fast.forEach((currency, sum) -> amounts.add(currency, BigDecimal.valueOf(sum[0])));
        fast.clear();
        return amounts;
    }
}
