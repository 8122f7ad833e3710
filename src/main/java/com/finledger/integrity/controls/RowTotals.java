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

    /** Adds one record given as column name to value text. */
    public void add(Dataset dataset, Map<String, ?> record, String changeSequence) {
        List<String> key = new ArrayList<>(dataset.primaryKey().size());
        for (String column : dataset.primaryKey()) {
            Object v = record.get(column);
            key.add(v == null ? null : v.toString());
        }
        rows++;
        fingerprint.add(key, changeSequence);
        Object currency = record.get(dataset.amount().currencyColumn());
        amounts.add(currency == null ? null : currency.toString(),
                minorUnits(record.get(dataset.amount().column()), dataset.amount().decimal()));
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
        return amounts;
    }
}
