package com.finledger.integrity.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** One declarative check from {@code rules/<dataset>.yaml}. */
public record Rule(String name, String dataset, Type type, Severity severity, String owner, String description,
                   Layer layer, List<String> columns, List<String> values, Optional<BigDecimal> min,
                   Optional<BigDecimal> max, Optional<String> to, Optional<BigDecimal> maxChangePct,
                   Optional<String> sql, String file, int line) {

    public enum Type { SCHEMA, NOT_NULL, UNIQUE, RELATIONSHIPS, ACCEPTED_VALUES, RANGE, FRESHNESS, ROW_COUNT, CUSTOM_SQL }

    public enum Severity { BLOCK, WARN }

    public enum Layer { RAW, STAGING, CURATED }

    /** Row-level rules that the fused per-table query evaluates in its single scan. */
    public boolean fusable() {
        return switch (type) {
            case SCHEMA, NOT_NULL, UNIQUE, RELATIONSHIPS, ACCEPTED_VALUES, RANGE -> true;
            case FRESHNESS, ROW_COUNT, CUSTOM_SQL -> false;
        };
    }

    public String column() {
        return columns.get(0);
    }
}
