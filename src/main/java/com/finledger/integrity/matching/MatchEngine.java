package com.finledger.integrity.matching;

import com.finledger.integrity.matching.MatchRule.Strategy;
import com.finledger.integrity.matching.MatchRule.StrategyType;
import com.finledger.integrity.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one match rule over one scope inside the warehouse: exact reference first (a full outer join
 * that keeps only what does not simply match), then the rule's other strategies over the leftovers,
 * then reads back the residue (which becomes breaks) and a summary. Every statement is set-based SQL
 * from {@link MatchSql}; no record is compared in Java.
 */
public final class MatchEngine {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MatchEngine.class);

    /** One record (or group) that did not match, as the work table holds it. */
    public record Residue(String outcome, String itemKey, String strategy, Item left, Item right, String processor,
                          String partner) {
    }

    public record Item(String ref, String id, long count, Long amountMinor, Long netMinor, String currency,
                       Instant at, LocalDate businessDate) {
    }

    public record StrategyCount(String strategy, String outcome, long items, long leftRecords, long rightRecords) {
    }

    /** {@code rightRecords} is -1: not counted (one scan less per run). */
    public record Result(long leftRecords, long rightRecords, Instant newestSourceAt, List<Residue> residue,
                         List<StrategyCount> summary) {

        /** Left records in scope that found their counterpart, by any strategy. */
        public long matchedLeft() {
            long unmatched = residue.stream().filter(r -> r.left() != null).mapToLong(r -> r.left().count()).sum();
            return leftRecords - unmatched;
        }
    }

    private final Warehouse warehouse;
    private final MatchSql sql;

    public MatchEngine(Warehouse warehouse) {
        this.warehouse = warehouse;
        this.sql = new MatchSql(warehouse.dialect());
    }

    public MatchSql sql() {
        return sql;
    }

    public void prepare() {
        // idempotent and cheap; checked every run because a new demo world drops the warehouse's schemas
        for (String statement : sql.createWorkTable()) {
            warehouse.update(statement, List.of());
        }
    }

    public Result run(MatchRule rule, MatchScope scope, long runId) {
        prepare();
        MatchSql.Statement exact = sql.exactReference(rule, scope, runId);
        long t = System.nanoTime();
        warehouse.update(exact.sql(), exact.parameters());
        LOG.debugf("%s %s exact_reference: %d ms", rule.name(), scope.key(), (System.nanoTime() - t) / 1_000_000);
        for (Strategy strategy : rule.strategies()) {
            if (strategy.type() != StrategyType.EXACT_REFERENCE) {
                MatchSql.Statement s = sql.strategy(rule, strategy, runId);
                t = System.nanoTime();
                warehouse.update(s.sql(), s.parameters());
                LOG.debugf("%s %s %s: %d ms", rule.name(), scope.key(), strategy.slug(), (System.nanoTime() - t) / 1_000_000);
            }
        }
        long[] left = new long[1];
        long[] right = new long[1];
        Instant[] newest = new Instant[1];
        // the left side's records in scope are what "matched" is counted against; the right side is not scanned
        // again (its unmatched records are in the residue)
        count(rule.left(), scope, left, newest);
        right[0] = -1;
        List<Residue> residue = warehouse.query(sql.residue(rule, runId), List.of(), MatchEngine::residue);
        List<StrategyCount> summary = warehouse.query(sql.summary(rule, runId), List.of(),
                rs -> new StrategyCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        warehouse.update(sql.dropSuperseded(rule, scope, runId), List.of());
        return new Result(left[0], right[0], newest[0], residue, summary);
    }

    private void count(MatchRule.Side side, MatchScope scope, long[] count, Instant[] newest) {
        MatchSql.Statement s = sql.ownCount(side, scope);
        warehouse.query(s.sql(), s.parameters(), rs -> {
            count[0] = rs.getLong(1);
            Timestamp t = rs.getTimestamp(2);
            if (t != null && (newest[0] == null || t.toInstant().isAfter(newest[0]))) {
                newest[0] = t.toInstant();
            }
            return null;
        });
    }

    private static Residue residue(ResultSet rs) throws SQLException {
        return new Residue(rs.getString("outcome"), rs.getString("item_key"), rs.getString("strategy"),
                item(rs, "left"), item(rs, "right"), rs.getString("processor"), rs.getString("partner"));
    }

    private static Item item(ResultSet rs, String side) throws SQLException {
        String id = rs.getString(side + "_item");
        if (id == null && rs.getObject(side + "_count") == null) {
            return null;
        }
        Timestamp at = rs.getTimestamp(side + "_at");
        java.sql.Date bd = rs.getDate(side + "_business_date");
        return new Item(rs.getString(side + "_ref"), id, rs.getLong(side + "_count"), longOrNull(rs, side + "_amount_minor"),
                longOrNull(rs, side + "_net_minor"), rs.getString(side + "_currency"), at == null ? null : at.toInstant(),
                bd == null ? null : bd.toLocalDate());
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return value instanceof Number n ? n.longValue() : null;
    }
}
