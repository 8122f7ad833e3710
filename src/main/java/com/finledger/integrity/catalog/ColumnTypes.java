package com.finledger.integrity.catalog;

/** Catalog column types in PostgreSQL (the local source databases and warehouse). */
public final class ColumnTypes {

    private ColumnTypes() {
    }

    public static String postgres(String catalogType) {
        return switch (catalogType) {
            case "string" -> "text";
            case "bigint" -> "bigint";
            case "integer" -> "integer";
            case "boolean" -> "boolean";
            case "date" -> "date";
            case "timestamp" -> "timestamptz";
            default -> {
                if (catalogType.startsWith("decimal(")) {
                    yield "numeric" + catalogType.substring("decimal".length());
                }
                throw new IllegalArgumentException("unknown catalog type " + catalogType);
            }
        };
    }
}
