package com.finledger.integrity.controls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** Sums of money per currency in exact minor units. Currency "∅" collects amounts with no currency. */
public final class Amounts {

    public static final String NO_CURRENCY = "∅";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeMap<String, BigDecimal> byCurrency = new TreeMap<>();

    public static Amounts of(Map<String, BigDecimal> values) {
        Amounts a = new Amounts();
        values.forEach(a::add);
        return a;
    }

    public Amounts add(String currency, BigDecimal minorUnits) {
        if (minorUnits != null) {
            byCurrency.merge(currency == null ? NO_CURRENCY : currency, minorUnits, BigDecimal::add);
        }
        return this;
    }

    public Amounts plus(Amounts other) {
        Amounts sum = of(byCurrency);
        other.byCurrency.forEach(sum::add);
        return sum;
    }

    public Amounts minus(Amounts other) {
        Amounts diff = of(byCurrency);
        other.byCurrency.forEach((c, v) -> diff.add(c, v.negate()));
        return diff;
    }

    /** Equal per currency, treating a missing currency as zero. */
    public boolean sameAs(Amounts other) {
        return minus(other).byCurrency.values().stream().allMatch(v -> v.signum() == 0);
    }

    public Map<String, BigDecimal> asMap() {
        return java.util.Collections.unmodifiableMap(byCurrency);
    }

    /** JSON with decimal strings, so no engine turns money into floating point. */
    public String toJson() {
        Map<String, String> out = new TreeMap<>();
        byCurrency.forEach((c, v) -> out.put(c, v.stripTrailingZeros().toPlainString()));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Amounts fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            Map<String, String> in = JSON.readValue(json, new TypeReference<>() {
            });
            Amounts a = new Amounts();
            in.forEach((c, v) -> a.add(c, new BigDecimal(v)));
            return a;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an amounts document: " + json, e);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        byCurrency.forEach((c, v) -> s.append(s.isEmpty() ? "" : ", ").append(c).append(' ')
                .append(v.stripTrailingZeros().toPlainString()));
        return s.isEmpty() ? "none" : s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Amounts a && sameAs(a);
    }

    @Override
    public int hashCode() {
        TreeMap<String, BigDecimal> nonZero = new TreeMap<>();
        byCurrency.forEach((c, v) -> {
            if (v.signum() != 0) {
                nonZero.put(c, v.stripTrailingZeros());
            }
        });
        return nonZero.hashCode();
    }
}
