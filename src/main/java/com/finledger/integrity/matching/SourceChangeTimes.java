package com.finledger.integrity.matching;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When the records behind a run's residue last changed <em>at their source</em>, read from RAW: a ledger
 * row's newest commit timestamp (DMS change files carry it), a processor record's API change timestamp
 * (its change sequence), a bank line's file arrival (encoded in its change sequence). End-to-end lag is
 * measured from these, not from the records' business times.
 */
final class SourceChangeTimes {

    private static final int CHUNK = 500;

    private final Warehouse warehouse;
    private final Catalog catalog;

    SourceChangeTimes(Warehouse warehouse, Catalog catalog) {
        this.warehouse = warehouse;
        this.catalog = catalog;
    }

    /** Per residue item key, the newest source change among its left and right records (absent if RAW holds neither). */
    Map<String, Instant> of(MatchRule rule, List<MatchEngine.Residue> residue) {
        Map<String, Instant> left = side(rule.left(), residue.stream().map(MatchEngine.Residue::left).toList());
        Map<String, Instant> right = side(rule.right(), residue.stream().map(MatchEngine.Residue::right).toList());
        Map<String, Instant> changed = new HashMap<>();
        for (MatchEngine.Residue r : residue) {
            Instant l = r.left() == null ? null : left.get(r.left().id());
            Instant rt = r.right() == null ? null : right.get(r.right().id());
            Instant newest = l == null ? rt : rt == null ? l : (l.isAfter(rt) ? l : rt);
            if (newest != null) {
                changed.put(r.itemKey(), newest);
            }
        }
        return changed;
    }

    private Map<String, Instant> side(MatchRule.Side side, List<MatchEngine.Item> items) {
        Set<String> ids = new LinkedHashSet<>();
        LocalDate from = null;
        LocalDate to = null;
        for (MatchEngine.Item item : items) {
            if (item == null || item.id() == null) {
                continue;
            }
            ids.add(item.id());
            if (item.businessDate() != null) {
                from = from == null || item.businessDate().isBefore(from) ? item.businessDate() : from;
                to = to == null || item.businessDate().isAfter(to) ? item.businessDate() : to;
            }
        }
        Map<String, Instant> times = new HashMap<>();
        if (ids.isEmpty()) {
            return times;
        }
        SourceKind kind = catalog.sourceOf(catalog.dataset(side.dataset())).kind();
        String key = warehouse.dialect().jsonText("record", side.id());
        List<String> all = List.copyOf(ids);
        for (int at = 0; at < all.size(); at += CHUNK) {
            List<String> chunk = all.subList(at, Math.min(all.size(), at + CHUNK));
            List<Object> params = new ArrayList<>(chunk);
            StringBuilder sql = new StringBuilder("select ").append(key).append(" as item, max(commit_ts) as commit_ts, ")
                    .append("max(change_seq) as change_seq from ").append(Sql.qualified("raw", side.dataset()))
                    .append(" where ").append(key).append(" in (").append("?, ".repeat(chunk.size() - 1)).append("?)");
            if (from != null) {
                // RAW is partitioned by business date; a record's lines carry its own date
                sql.append(" and business_date between ? and ?");
                params.add(from.minusDays(1));
                params.add(to.plusDays(1));
            }
            sql.append(" group by ").append(key);
            warehouse.query(sql.toString(), params, rs -> {
                Instant t = sourceTime(kind, rs.getTimestamp("commit_ts"), rs.getObject("change_seq"));
                if (t != null) {
                    times.put(rs.getString("item"), t);
                }
                return null;
            });
        }
        return times;
    }

    /** The source's own time of a change, by how the source's changes are landed. */
    static Instant sourceTime(SourceKind kind, Timestamp commitTs, Object changeSeq) {
        Long seq = changeSeq instanceof Number n ? n.longValue() : null;
        return switch (kind) {
            case POSTGRES_CDC -> commitTs == null ? null : commitTs.toInstant();
            case REST_API -> seq == null ? null : Instant.ofEpochSecond(Math.floorDiv(seq, 1_000_000L),
                    Math.floorMod(seq, 1_000_000L) * 1_000L);
            case PARTNER_FILES -> seq == null ? null : Instant.ofEpochMilli(Math.floorDiv(seq, 1_000_000L));
        };
    }
}
