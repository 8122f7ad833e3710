package com.finledger.integrity.rules;

import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles rules to warehouse SQL. All fusable rules on one table become one query that scans the
 * partition once and counts every rule's failures side by side; failing rows are then copied into
 * the quarantine by one insert per failing rule, inside the warehouse.
 */
public final class RuleSql {

    private static final String MASK = "'•••• •••• •••• ' || ";

    private RuleSql() {
    }

    /** A failure flag of the fused scan: its alias and what it counts. */
    public record Flag(String alias, Rule rule, String detail, String predicate) {
    }

    /** The flags of a rule (a schema rule has one per contract column and kind of drift, plus its total). */
    static List<Flag> flags(WarehouseDialect d, RuleTable table, List<Rule> rules) {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String alias = "f" + i;
            switch (rule.type()) {
                case NOT_NULL -> flags.add(new Flag(alias, rule, null, rule.columns().stream()
                        .map(c -> table.column(d, c) + " is null").collect(Collectors.joining(" or "))));
                case ACCEPTED_VALUES -> flags.add(new Flag(alias, rule, null, table.column(d, rule.column())
                        + " is not null and " + table.column(d, rule.column()) + " not in (" + rule.values().stream()
                        .map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")"));
                case RANGE -> {
                    String value = table.layer() == Layer.RAW ? d.toNumber(table.column(d, rule.column()))
                            : table.column(d, rule.column());
                    List<String> bounds = new ArrayList<>();
                    rule.min().ifPresent(min -> bounds.add(value + " < " + min.toPlainString()));
                    rule.max().ifPresent(max -> bounds.add(value + " > " + max.toPlainString()));
                    flags.add(new Flag(alias, rule, null, String.join(" or ", bounds)));
                }
                case UNIQUE -> {
                    if (table.layer() != Layer.RAW && Set.copyOf(rule.columns()).equals(Set.copyOf(table.rowKey()))) {
                        // STAGING and CURATED tables carry this key as their primary key: the database
                        // already guarantees it, so the check costs nothing in the scan.
                        flags.add(new Flag(alias, rule, null, "false"));
                        continue;
                    }
                    String order = table.layer() == Layer.RAW ? "t.change_seq, t.object_key, t.line_no"
                            : String.join(", ", table.rowKey().stream().map(k -> "t." + k).toList());
                    flags.add(new Flag(alias, rule, null, "row_number() over (partition by " + rule.columns().stream()
                            .map(c -> table.column(d, c)).collect(Collectors.joining(", ")) + " order by " + order
                            + ") > 1"));
                }
                case RELATIONSHIPS -> {
                    String[] to = rule.to().orElseThrow().split("\\.");
                    String child = table.column(d, rule.column());
                    // NOT IN over a non-null key set: one hashed lookup per row within the single scan
                    flags.add(new Flag(alias, rule, null, child + " is not null and " + child + " not in (select p."
                            + Sql.ident(to[1]) + " from " + Sql.qualified("staging", to[0]) + " p where p."
                            + Sql.ident(to[1]) + " is not null)"));
                }
                case SCHEMA -> {
                    List<String> all = new ArrayList<>();
                    int j = 0;
                    for (Column column : table.contract()) {
                        String missing = "not (" + d.jsonHasField("t.record", column.name()) + ")";
                        flags.add(new Flag(alias + "_m" + j, rule, "missing:" + column.name(), missing));
                        all.add(missing);
                        String regex = typePattern(column.type());
                        if (regex != null) {
                            String value = d.jsonText("t.record", column.name());
                            String retyped = value + " is not null and not " + d.matches(value, regex);
                            flags.add(new Flag(alias + "_t" + j, rule, "retyped:" + column.name(), retyped));
                            all.add(retyped);
                        }
                        j++;
                    }
                    flags.add(new Flag(alias, rule, null, all.stream().map(p -> "(" + p + ")")
                            .collect(Collectors.joining(" or "))));
                }
                default -> throw new IllegalArgumentException(rule.name() + " is not a fusable rule");
            }
        }
        return flags;
    }

    /** The partition's rows with one boolean per flag; parameter 1 is the business date. */
    static String flaggedRows(WarehouseDialect d, RuleTable table, List<Flag> flags) {
        StringBuilder select = new StringBuilder("select t.*, ").append(table.rowKey(d)).append(" as row_key");
        for (Flag f : flags) {
            select.append(",\n       (").append(f.predicate()).append(") as ").append(f.alias());
        }
        return select.append("\nfrom ").append(table.table()).append(" t\nwhere t.").append(table.partitionColumn())
                .append(" = ?").toString();
    }

    /**
     * One scan: the partition's row count and the number of rows behind every flag. Without window
     * functions the predicates are aggregated straight off the table; otherwise the flags are computed
     * in a subquery first. Either way no row leaves the warehouse.
     */
    public static String fusedQuery(WarehouseDialect d, RuleTable table, List<Flag> flags) {
        boolean windowed = flags.stream().anyMatch(f -> f.predicate().contains(" over ("));
        StringBuilder sql = new StringBuilder("select count(*) as row_count");
        for (Flag f : flags) {
            String counted = windowed ? "x." + f.alias() : "(" + f.predicate() + ")";
            sql.append(",\n       ").append(d.countIf(counted)).append(" as ").append(f.alias());
        }
        if (!windowed) {
            return sql.append("\nfrom ").append(table.table()).append(" t\nwhere t.").append(table.partitionColumn())
                    .append(" = ?").toString();
        }
        StringBuilder flagged = new StringBuilder("select ");
        for (int i = 0; i < flags.size(); i++) {
            flagged.append(i == 0 ? "" : ",\n       ").append("(").append(flags.get(i).predicate()).append(") as ")
                    .append(flags.get(i).alias());
        }
        flagged.append("\nfrom ").append(table.table()).append(" t\nwhere t.").append(table.partitionColumn())
                .append(" = ?");
        return sql.append("\nfrom (\n").append(flagged).append("\n) x").toString();
    }

    /**
     * Copies one flag's failing rows into the quarantine with a masked sample. Parameters: dataset,
     * partition, rule, evaluation id (first), evaluation id (last), reason, time, business date.
     */
    public static String quarantineInsert(WarehouseDialect d, RuleTable table, List<Flag> flags, Flag flag) {
        return d.upsertQuarantine("""
                select ? as dataset, ? as partition_key, ? as rule_name, x.row_key, ? as first_evaluation_id,
                       ? as last_evaluation_id, ? as reason, %s as masked_sample, ? as quarantined_at
                from (
                %s
                ) x
                where x.%s""".formatted(maskedSample(d, table), flaggedRows(d, table, flags), flag.alias()));
    }

    /** Failing rows of a custom rule into the quarantine; the same parameters, then the business date. */
    public static String customQuarantineInsert(WarehouseDialect d, String customSql) {
        Map<String, String> sample = new LinkedHashMap<>();
        sample.put("row_key", "c.row_key");
        sample.put("reason", "c.reason");
        return d.upsertQuarantine("""
                select ? as dataset, ? as partition_key, ? as rule_name, %s as row_key, ? as first_evaluation_id,
                       ? as last_evaluation_id, coalesce(c.reason, ?) as reason, %s as masked_sample,
                       ? as quarantined_at
                from (
                %s
                ) c""".formatted(d.text("c.row_key"), d.jsonObject(sample), bindPartition(customSql)));
    }

    /** How many rows a custom rule returns; parameter 1 is the business date. */
    public static String customCount(String customSql) {
        return "select count(*) from (\n" + bindPartition(customSql) + "\n) c";
    }

    static String bindPartition(String customSql) {
        return customSql.strip().replace(":business_date", "?");
    }

    private static String maskedSample(WarehouseDialect d, RuleTable table) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (table.contract().isEmpty()) {
            fields.put("row_key", "x.row_key");
        }
        for (Column column : table.contract()) {
            String value = table.layer() == Layer.RAW ? d.jsonText("x.record", column.name()) : "x." + column.name();
            fields.put(column.name(), column.pci() ? MASK + "right(" + d.text(value) + ", 4)" : value);
        }
        return d.jsonObject(fields);
    }

    /** The text shape of a contract type in landed records; null for free text. */
    static String typePattern(String type) {
        return switch (type) {
            case "bigint", "integer" -> "-?[0-9]+";
            case "boolean" -> "true|false";
            case "date" -> "[0-9]{4}-[0-9]{2}-[0-9]{2}";
            case "timestamp" -> "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?";
            default -> type.startsWith("decimal(") ? "-?[0-9]+(\\.[0-9]+)?" : null;
        };
    }
}
