package com.finledger.integrity.matching;

import com.finledger.integrity.matching.MatchRule.Cadence;
import com.finledger.integrity.matching.MatchRule.Side;
import com.finledger.integrity.matching.MatchRule.Strategy;
import com.finledger.integrity.matching.MatchRule.StrategyType;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The set-based SQL of matching, generated per warehouse dialect. A run writes only what does not
 * simply match into the warehouse's {@code recon.match_item} (the residue: unmatched, mismatched,
 * duplicated records), then each later strategy pairs leftovers inside that small table. Nothing
 * about the bulk of matching records leaves the warehouse but their count.
 */
public final class MatchSql {

    public static final String TABLE = "recon.match_item";

    /** One statement and its bind parameters, in order. */
    public record Statement(String sql, List<Object> parameters) {
    }

    private final WarehouseDialect dialect;

    public MatchSql(WarehouseDialect dialect) {
        this.dialect = dialect;
    }

    public List<String> createWorkTable() {
        String t = dialect.textType();
        String ts = dialect.instantType();
        StringBuilder columns = new StringBuilder();
        for (String side : List.of("left", "right")) {
            columns.append(String.format("""
                        %1$s_ref            %2$s,
                        %1$s_item           %2$s,
                        %1$s_count          bigint,
                        %1$s_amount_minor   bigint,
                        %1$s_net_minor      bigint,
                        %1$s_currency       %2$s,
                        %1$s_at             %3$s,
                        %1$s_business_date  date,
                        %1$s_group_ref      %2$s,
                    """, side, t, ts));
        }
        return List.of("create schema if not exists recon", """
                create table if not exists recon.match_item (
                    run_id              bigint        not null,
                    rule_name           %1$s          not null,
                    scope_key           %1$s          not null,
                    strategy            %1$s          not null,
                    outcome             %1$s          not null,
                    item_key            %1$s          not null,
                    match_group         %1$s,
                    in_scope            integer       not null,
                %2$s    processor           %1$s,
                    partner             %1$s,
                    primary key (run_id, rule_name, item_key)
                )""".formatted(t, columns));
    }

    /**
     * Strategy one, exact reference: both sides in scope, full outer join on the reference, each pair
     * classified (duplicate, currency or amount mismatch, timing, FX within tolerance, matched); all but
     * plain matches go to the work table.
     */
    public Statement exactReference(MatchRule rule, MatchScope scope, long runId) {
        List<Object> params = new ArrayList<>();
        List<Object> sideParams = new ArrayList<>();
        String left = sideRelation(rule, rule.left(), scope, sideParams, "left");
        String right = sideRelation(rule, rule.right(), scope, sideParams, "right");
        StringBuilder sql = new StringBuilder();
        sql.append("insert into ").append(TABLE).append(" (run_id, rule_name, scope_key, strategy, outcome, item_key, ")
                .append("match_group, in_scope,\n    ").append(sideColumns("left")).append(",\n    ").append(sideColumns("right"))
                .append(",\n    processor, partner)\n");
        sql.append("select ").append(runId).append(", ").append(literal(rule.name())).append(", ")
                .append(literal(scope.key())).append(", 'exact_reference', outcome,\n")
                .append("       coalesce(l_item, '') || '|' || coalesce(r_item, ''), null,\n")
                .append("       case when (l_n is not null and ").append(own("l", scope, params))
                .append(") or (l_n is null and ").append(own("r", scope, params)).append(") then 1 else 0 end,\n       ")
                .append(selected(rule, "l")).append(",\n       ").append(selected(rule, "r")).append(",\n")
                .append("       coalesce(l_processor, r_processor), coalesce(l_partner, r_partner)\n");
        sql.append("from (\n    select l.*, r.*,\n        ").append(classification(rule)).append(" as outcome\n");
        sql.append("    from (\n").append(left).append("    ) l\n    full outer join (\n").append(right)
                .append("    ) r on r.r_ref = l.l_ref\n) classified\n");
        // out-of-scope leftovers stay for the later strategies to pair with; only in-scope ones are reported
        sql.append("where outcome <> 'MATCHED'");
        params.addAll(sideParams); // the select's own-scope test comes first in the text, then the two sides
        return new Statement(sql.toString(), params);
    }

    /** How many records of one side are in the run's own scope (the denominator of the run's summary). */
    public Statement ownCount(Side side, MatchScope scope) {
        // the newest record's time stands for the freshest source change the run has seen
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select count(*) as records, max(cast(t." + side.at() + " as "
                + dialect.instantType() + ")) as newest from ").append(side.schema()).append('.')
                .append(side.table()).append(" t\nwhere ");
        for (Map.Entry<String, String> w : new TreeMap<>(side.where()).entrySet()) {
            sql.append("t.").append(w.getKey()).append(" = ").append(literal(w.getValue())).append(" and ");
        }
        belongsTo(side, sql);
        if (scope.cadence() == Cadence.BUSINESS_DATE) {
            sql.append("t.").append(side.businessDate()).append(" = ?");
        } else {
            sql.append("t.").append(side.at()).append(" >= ? and t.").append(side.at()).append(" < ?");
        }
        params.addAll(scope.ownRange());
        return new Statement(sql.toString(), params);
    }

    /**
     * Grouped reference: the many side's leftovers are grouped by a reference built from their columns
     * and taken in time order (then id); the shortest run of a group, in one currency, whose total (net
     * of fees if the rule says so) agrees with one leftover record of the other side is matched with it.
     * A payout settles the oldest outstanding settlements first, so a later settlement of the same
     * processor and day that the payout does not cover stays a break of its own.
     */
    public Statement groupedReference(MatchRule rule, Strategy strategy, long runId) {
        boolean manyLeft = strategy.many().orElseThrow().equals("left");
        String many = manyLeft ? "left" : "right";
        String one = manyLeft ? "right" : "left";
        String amount = strategy.netOfFees() ? many + "_net_minor" : many + "_amount_minor";
        String where = "run_id = " + runId + " and rule_name = " + literal(rule.name());
        String window = "partition by " + many + "_group_ref, " + many + "_currency order by " + many + "_at, item_key";
        String members = "select item_key, " + many + "_group_ref as grp, " + many + "_currency as currency,\n"
                + "               sum(" + amount + ") over (" + window + " rows between unbounded preceding and current row)"
                + " as running,\n               row_number() over (" + window + ") as pos\n"
                + "        from " + TABLE + "\n        where " + where + " and outcome = 'UNMATCHED_" + many.toUpperCase()
                + "' and " + many + "_group_ref is not null";
        String ones = "select item_key, " + one + "_ref as ref, " + one + "_amount_minor as amount, " + one
                + "_currency as currency\n        from " + TABLE + "\n        where " + where + " and outcome = 'UNMATCHED_"
                + one.toUpperCase() + "' and " + one + "_count = 1";
        String agreed = "select m.grp, m.currency, o.item_key as one_key, min(m.pos) as last_pos\n"
                + "        from members m join ones o on o.ref = m.grp and o.currency = m.currency\n        where "
                + withinTolerance(rule, manyLeft ? "m.running" : "o.amount", manyLeft ? "o.amount" : "m.running")
                + "\n        group by m.grp, m.currency, o.item_key";
        String sql = "update " + TABLE + " set outcome = 'MATCHED', strategy = 'grouped_reference', match_group = p.grp\n"
                + "from (\n    with members as (\n        " + members + "\n    ), ones as (\n        " + ones
                + "\n    ), agreed as (\n        " + agreed + "\n    )\n"
                + "    select m.item_key as k, 'grouped_reference:' || a.one_key as grp\n"
                + "    from members m join agreed a on a.grp = m.grp and a.currency = m.currency and m.pos <= a.last_pos\n"
                + "    union all\n"
                + "    select a.one_key, 'grouped_reference:' || a.one_key from agreed a\n) p\n"
                + "where " + where + " and item_key = p.k";
        return new Statement(sql, List.of());
    }

    /**
     * Amount and date: leftovers of one currency and exactly one amount are paired in time order (the
     * n-th earliest left with the n-th earliest right), and a pair is matched when its times lie within
     * the rule's window.
     */
    public Statement amountAndDate(MatchRule rule, long runId) {
        return pairLeftovers(rule, runId, "amount_and_date", List.of("left_currency", "left_amount_minor"),
                List.of("right_currency", "right_amount_minor"), "left_at, item_key", "right_at, item_key",
                "l.k1 = r.k1 and l.k2 = r.k2 and l.rn = r.rn", true);
    }

    /** Normalised reference: leftovers whose references agree once reduced to letters and digits. */
    public Statement normalisedReference(MatchRule rule, long runId) {
        return pairLeftovers(rule, runId, "normalised_reference", List.of(dialect.normalizeReference("left_ref")),
                List.of(dialect.normalizeReference("right_ref")), "item_key", "item_key",
                "l.k1 = r.k1 and l.rn = r.rn and l.currency = r.currency and "
                        + withinTolerance(rule, "l.amount", "r.amount"), false);
    }

    private Statement pairLeftovers(MatchRule rule, long runId, String strategy, List<String> leftKeys,
                                    List<String> rightKeys, String leftOrder, String rightOrder, String join,
                                    boolean timeWindow) {
        String where = "run_id = " + runId + " and rule_name = " + literal(rule.name());
        String lefts = leftovers("left", leftKeys, leftOrder, where);
        String rights = leftovers("right", rightKeys, rightOrder, where);
        String pairs = "select l.item_key as lk, r.item_key as rk\n        from lefts l join rights r on " + join;
        if (timeWindow && !rule.tolerance().window().isZero()) {
            pairs += "\n        where " + withinWindow(rule, "l.at", "r.at");
        }
        String sql = "update " + TABLE + " set outcome = 'MATCHED', strategy = '" + strategy + "', match_group = p.grp\n"
                + "from (\n    with lefts as (\n        " + lefts + "\n    ), rights as (\n        " + rights
                + "\n    ), pairs as (\n        " + pairs + "\n    )\n"
                + "    select lk as k, '" + strategy + ":' || lk || '+' || rk as grp from pairs\n    union all\n"
                + "    select rk, '" + strategy + ":' || lk || '+' || rk from pairs\n) p\n"
                + "where " + where + " and item_key = p.k";
        return new Statement(sql, List.of());
    }

    private static String leftovers(String side, List<String> keys, String order, String where) {
        StringBuilder sql = new StringBuilder("select item_key");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", ").append(keys.get(i)).append(" as k").append(i + 1);
        }
        return sql.append(", ").append(side).append("_currency as currency, ").append(side)
                .append("_amount_minor as amount, ").append(side).append("_at as at,\n               row_number() over ")
                .append("(partition by ").append(String.join(", ", keys)).append(" order by ").append(order)
                .append(") as rn\n        from ").append(TABLE).append("\n        where ").append(where)
                .append(" and outcome = 'UNMATCHED_").append(side.toUpperCase()).append("' and ").append(side)
                .append("_count = 1").toString();
    }

    public Statement strategy(MatchRule rule, Strategy strategy, long runId) {
        return switch (strategy.type()) {
            case GROUPED_REFERENCE -> groupedReference(rule, strategy, runId);
            case AMOUNT_AND_DATE -> amountAndDate(rule, runId);
            case NORMALISED_REFERENCE -> normalisedReference(rule, runId);
            case EXACT_REFERENCE -> throw new IllegalArgumentException("exact_reference reads the sides, see exactReference");
        };
    }

    /** The residue of a run as breaks are made from it: everything that did not match, in a stable order. */
    public String residue(MatchRule rule, long runId) {
        return "select outcome, item_key, strategy, " + sideColumns("left") + ", " + sideColumns("right")
                + ", processor, partner\nfrom " + TABLE + "\nwhere run_id = " + runId + " and rule_name = "
                + literal(rule.name()) + " and in_scope = 1 and outcome not like 'MATCHED%'\norder by item_key";
    }

    /** What each strategy did in a run: rows of the work table per strategy and outcome. */
    public String summary(MatchRule rule, long runId) {
        return "select strategy, outcome, count(*) as items, coalesce(sum(left_count), 0) as left_records, "
                + "coalesce(sum(right_count), 0) as right_records\nfrom " + TABLE + "\nwhere run_id = " + runId
                + " and rule_name = " + literal(rule.name()) + " and in_scope = 1\ngroup by strategy, outcome\norder by strategy, outcome";
    }

    /** Earlier runs' residue of the same rule and scope: superseded by this run's. */
    public String dropSuperseded(MatchRule rule, MatchScope scope, long runId) {
        return "delete from " + TABLE + " where rule_name = " + literal(rule.name()) + " and scope_key = "
                + literal(scope.key()) + " and run_id < " + runId;
    }

    private String sideRelation(MatchRule rule, Side side, MatchScope scope, List<Object> params, String which) {
        String p = which.equals("left") ? "l_" : "r_";
        String amount = side.amountMinorSql("t");
        String net = side.fee().map(f -> amount + " - coalesce(t." + f + ", 0)").orElse(amount);
        // the group reference is built in the outer select, for leftovers only: here just its parts
        List<String> parts = groupParts(rule, which);
        String processor = side.processor().map(a -> a.sql("t")).orElse("cast(null as " + dialect.textType() + ")");
        String partner = side.partner().map(a -> a.sql("t")).orElse("cast(null as " + dialect.textType() + ")");
        StringBuilder sql = new StringBuilder("        select ");
        if (side.referenceIsUnique()) {
            sql.append("t.").append(side.reference()).append(" as ").append(p).append("ref, 1 as ").append(p).append("n, t.")
                    .append(side.id()).append(" as ").append(p).append("item, ").append(amount).append(" as ").append(p)
                    .append("amount, ").append(side.fee().isPresent() ? net : "cast(null as bigint)").append(" as ")
                    .append(p).append("net,\n               t.")
                    .append(side.currency()).append(" as ").append(p).append("currency, t.").append(side.at())
                    .append(" as ").append(p).append("at, t.").append(side.businessDate()).append(" as ").append(p)
                    .append("bd, ").append(processor).append(" as ").append(p).append("processor, ").append(partner)
                    .append(" as ").append(p).append("partner");
            for (int i = 0; i < parts.size(); i++) {
                sql.append(", t.").append(parts.get(i)).append(" as ").append(p).append("gp").append(i);
            }
            sql.append('\n');
        } else {
            sql.append("t.").append(side.reference()).append(" as ").append(p).append("ref, count(*) as ").append(p)
                    .append("n, min(t.").append(side.id()).append(") as ").append(p).append("item, cast(sum(").append(amount)
                    .append(") as bigint) as ").append(p).append("amount, ").append(side.fee().isPresent()
                            ? "cast(sum(" + net + ") as bigint)"
                            : "cast(null as bigint)").append(" as ").append(p)
                    .append("net,\n               min(t.").append(side.currency()).append(") as ").append(p)
                    .append("currency, min(t.").append(side.at()).append(") as ").append(p).append("at, min(t.")
                    .append(side.businessDate()).append(") as ").append(p).append("bd, ")
                    .append(aggregated(processor)).append(" as ").append(p).append("processor, ")
                    .append(aggregated(partner)).append(" as ").append(p).append("partner");
            for (int i = 0; i < parts.size(); i++) {
                sql.append(", min(t.").append(parts.get(i)).append(") as ").append(p).append("gp").append(i);
            }
            sql.append('\n');
        }
        sql.append("        from ").append(side.schema()).append('.').append(side.table()).append(" t\n        where ");
        for (Map.Entry<String, String> w : new TreeMap<>(side.where()).entrySet()) {
            sql.append("t.").append(w.getKey()).append(" = ").append(literal(w.getValue())).append(" and ");
        }
        belongsTo(side, sql);
        if (scope.cadence() == Cadence.BUSINESS_DATE) {
            sql.append("t.").append(side.businessDate()).append(" between ? and ?\n");
        } else {
            sql.append("t.").append(side.at()).append(" >= ? and t.").append(side.at()).append(" < ?\n");
        }
        params.addAll(scope.readRange(rule.tolerance().window()));
        if (!side.referenceIsUnique()) {
            sql.append("        group by t.").append(side.reference()).append('\n');
        }
        return sql.toString();
    }

    /** The semi-join of a side that holds only records belonging to a selected record of another dataset. */
    private static void belongsTo(Side side, StringBuilder sql) {
        side.belongsTo().ifPresent(b -> {
            sql.append("exists (select 1 from ").append(b.schema()).append('.').append(b.table()).append(" b where b.")
                    .append(b.toColumn()).append(" = t.").append(b.column());
            for (Map.Entry<String, String> w : new TreeMap<>(b.where()).entrySet()) {
                sql.append(" and b.").append(w.getKey()).append(" = ").append(literal(w.getValue()));
            }
            sql.append(") and ");
        });
    }

    /** A column's value for a group: its least; a fixed text or null needs no aggregate. */
    private static String aggregated(String expression) {
        return expression.startsWith("t.") ? "min(" + expression + ")" : expression;
    }

    private static java.util.Optional<Strategy> grouping(MatchRule rule, String which) {
        return rule.strategies().stream()
                .filter(s -> s.type() == StrategyType.GROUPED_REFERENCE && s.many().orElse("").equals(which)).findFirst();
    }

    private static List<String> groupParts(MatchRule rule, String which) {
        return grouping(rule, which).map(Strategy::groupParts).orElse(List.of());
    }

    /** The group reference of a leftover, from the parts its side carried ({@code l_gp0}, ...). */
    private String groupReference(MatchRule rule, String which, String p) {
        return grouping(rule, which).map(s -> {
            StringBuilder ref = new StringBuilder();
            if (!s.groupPrefix().isEmpty()) {
                ref.append(literal(s.groupPrefix()));
            }
            for (int i = 0; i < s.groupParts().size(); i++) {
                ref.append(ref.isEmpty() ? "" : " || '-' || ").append(dialect.text(p + "_gp" + i));
            }
            return ref.toString();
        }).orElse("cast(null as " + dialect.textType() + ")");
    }

    private String classification(MatchRule rule) {
        StringBuilder c = new StringBuilder("case\n");
        c.append("            when l.l_n is null then case when r.r_n > 1 then 'DUPLICATE' else 'UNMATCHED_RIGHT' end\n");
        c.append("            when r.r_n is null then case when l.l_n > 1 then 'DUPLICATE' else 'UNMATCHED_LEFT' end\n");
        c.append("            when l.l_n > 1 or r.r_n > 1 then 'DUPLICATE'\n");
        c.append("            when coalesce(l.l_currency, '') <> coalesce(r.r_currency, '') then ");
        if (rule.fx().isPresent() && !rule.fx().get().rates().isEmpty()) {
            String rate = fxRate(rule.fx().get());
            c.append("case\n                when ").append(rate).append(" is null then 'CURRENCY_MISMATCH'\n")
                    .append("                when abs(l.l_amount * ").append(rate).append(" - r.r_amount) * 100 > ")
                    .append(plain(rule.fx().get().tolerancePercent())).append(" * abs(r.r_amount) then 'AMOUNT_MISMATCH'\n");
            if (!rule.tolerance().window().isZero()) {
                c.append("                when not (").append(withinWindow(rule, "l.l_at", "r.r_at")).append(") then 'TIMING'\n");
            }
            c.append("                else 'MATCHED_FX' end\n");
        } else {
            c.append("'CURRENCY_MISMATCH'\n");
        }
        c.append("            when not (").append(withinTolerance(rule, "l.l_amount", "r.r_amount"))
                .append(") then 'AMOUNT_MISMATCH'\n");
        if (!rule.tolerance().window().isZero()) {
            c.append("            when not (").append(withinWindow(rule, "l.l_at", "r.r_at")).append(") then 'TIMING'\n");
        }
        return c.append("            else 'MATCHED' end").toString();
    }

    private static String fxRate(MatchRule.Fx fx) {
        StringBuilder rate = new StringBuilder("(case");
        new TreeMap<>(fx.rates()).forEach((pair, value) -> {
            String[] cur = pair.split("/");
            rate.append(" when l.l_currency = '").append(cur[0]).append("' and r.r_currency = '").append(cur[1])
                    .append("' then ").append(plain(value));
        });
        return rate.append(" end)").toString();
    }

    /** Amounts in minor units agree within the rule's absolute or percentage tolerance. */
    static String withinTolerance(MatchRule rule, String left, String right) {
        String diff = "abs(" + left + " - " + right + ")";
        StringBuilder sql = new StringBuilder("(" + diff + " <= " + rule.tolerance().amountMinor());
        if (rule.tolerance().percent().signum() > 0) {
            sql.append(" or ").append(diff).append(" * 100 <= ").append(plain(rule.tolerance().percent()))
                    .append(" * abs(").append(left).append(")");
        }
        return sql.append(")").toString();
    }

    private String withinWindow(MatchRule rule, String left, String right) {
        return "abs(" + dialect.secondsBetween(left, right) + ") <= " + rule.tolerance().window().toSeconds();
    }

    private static String own(String alias, MatchScope scope, List<Object> params) {
        params.addAll(scope.ownRange());
        if (scope.cadence() == Cadence.BUSINESS_DATE) {
            return alias + "_bd = ?";
        }
        return alias + "_at >= ? and " + alias + "_at < ?";
    }

    private static String sideColumns(String side) {
        return String.join(", ", List.of(side + "_ref", side + "_item", side + "_count", side + "_amount_minor",
                side + "_net_minor", side + "_currency", side + "_at", side + "_business_date", side + "_group_ref"));
    }

    private String selected(MatchRule rule, String p) {
        return p + "_ref, " + p + "_item, " + p + "_n, " + p + "_amount, coalesce(" + p + "_net, " + p + "_amount), "
                + p + "_currency, cast(" + p
                + "_at as " + dialect.instantType() + "), " + p + "_bd, "
                + groupReference(rule, p.equals("l") ? "left" : "right", p);
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
