package com.finledger.integrity.diff;

import com.finledger.integrity.platform.SqlReader;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the rows that differ between two copies of a partition — two systems (a ledger and the
 * warehouse) or two layers — without moving the partition: both sides are cut into segments by a hash
 * of the key, each segment summarised by its row count and the sum of its rows' 64-bit hashes (pushed
 * down, one grouped scan per side); only segments whose summaries differ are cut finer (bisection by
 * a larger modulus of the same hash) until they are small enough to list their keys, row hashes and
 * columns, which are compared here, so the answer names keys and columns.
 * Sums of hashes are compared modulo 2^64, so a PostgreSQL side (signed) and a Snowflake side
 * (unsigned) agree.
 */
public final class TableDiff {

    private static final BigInteger MOD64 = BigInteger.ONE.shiftLeft(64);

    /**
     * One side: where to read (any {@link SqlReader}), its dialect, the relation (a table, or a
     * parenthesised select), the key column, the compared columns (as text expressions equal on both
     * sides for equal values), and a filter on the partition with its parameters.
     */
    public record Side(String name, SqlReader reader, WarehouseDialect dialect, String relation, String key,
                       List<String> columns, String filter, List<Object> parameters) {
    }

    /** How finely to cut: first segments, the factor each bisection multiplies them by, and when to list rows. */
    public record Options(int segments, int fanout, long leafRows, int maxLevels) {

        /** Powers of two: a bucket is then the same whether the side's 64-bit hash is signed or unsigned. */
        public Options {
            if (Long.bitCount(segments) != 1 || Long.bitCount(fanout) != 1 || fanout < 2 || leafRows < 1
                    || maxLevels < 1) {
                throw new IllegalArgumentException("segments and fanout are powers of two (fanout at least 2), "
                        + "leafRows and maxLevels positive");
            }
        }

        public static Options defaults() {
            return new Options(1024, 32, 5_000, 6);
        }
    }

    public record ChangedRow(String key, List<String> columns) {
    }

    /** What differs, and how much was read to find it. */
    public record Result(List<String> onlyLeft, List<String> onlyRight, List<ChangedRow> changed, int levels,
                         int queries, long rowsListed, List<String> timings) {

        public boolean same() {
            return onlyLeft.isEmpty() && onlyRight.isEmpty() && changed.isEmpty();
        }

        public int differences() {
            return onlyLeft.size() + onlyRight.size() + changed.size();
        }
    }

    private record Summary(long rows, BigInteger hashSum) {
    }

    private int queries;
    private boolean sameDialect;
    private final List<String> timings = new ArrayList<>();

    public Result diff(Side left, Side right, Options options) {
        queries = 0;
        timings.clear();
        // within one dialect a fast native hash will do; across two, both must compute the same MD5-based one
        sameDialect = left.dialect() == right.dialect();
        long modulus = options.segments();
        Set<Long> suspects = null;
        long previousModulus = 0;
        int level = 0;
        while (true) {
            level++;
            Map<Long, Summary> l = summarise(left, modulus, previousModulus, suspects);
            Map<Long, Summary> r = summarise(right, modulus, previousModulus, suspects);
            Set<Long> differing = new TreeSet<>();
            Set<Long> buckets = new TreeSet<>(l.keySet());
            buckets.addAll(r.keySet());
            long rows = 0;
            for (Long b : buckets) {
                Summary a = l.get(b);
                Summary c = r.get(b);
                if (a == null || c == null || a.rows() != c.rows() || !a.hashSum().equals(c.hashSum())) {
                    differing.add(b);
                    rows += Math.max(a == null ? 0 : a.rows(), c == null ? 0 : c.rows());
                }
            }
            if (differing.isEmpty()) {
                return new Result(List.of(), List.of(), List.of(), level, queries, 0, List.copyOf(timings));
            }
            if (rows <= options.leafRows() || level >= options.maxLevels()) {
                return listAndCompare(left, right, modulus, differing, level);
            }
            suspects = differing;
            previousModulus = modulus;
            modulus = modulus * options.fanout();
        }
    }

    private String hash(Side side, List<String> textParts) {
        if (!sameDialect) {
            return side.dialect().hash64(textParts);
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < textParts.size(); i++) {
            joined.append(i == 0 ? "" : " || '|' || ").append("coalesce(").append(textParts.get(i)).append(", '')");
        }
        return side.dialect().fastHash64("(" + joined + ")");
    }

    /** The key's hash as a non-negative bucket of the modulus. */
    private String bucket(Side side, long modulus) {
        String h = hash(side, List.of(side.dialect().text(side.key())));
        return "mod(mod(" + h + ", " + modulus + ") + " + modulus + ", " + modulus + ")";
    }

    private String rowHash(Side side) {
        List<String> parts = new ArrayList<>();
        parts.add(side.dialect().text(side.key()));
        for (String column : side.columns()) {
            parts.add(side.dialect().text(column));
        }
        return hash(side, parts);
    }

    private String where(Side side, long previousModulus, Set<Long> suspects) {
        StringBuilder where = new StringBuilder(side.filter() == null || side.filter().isBlank() ? "1 = 1" : side.filter());
        if (suspects != null) {
            where.append(" and ").append(bucket(side, previousModulus)).append(" in (");
            boolean first = true;
            for (Long s : suspects) {
                where.append(first ? "" : ", ").append(s);
                first = false;
            }
            where.append(")");
        }
        return where.toString();
    }

    /** Segment summaries of one side: {@code select bucket, count, sum of row hashes ... group by bucket}. */
    String summarySql(Side side, long modulus, long previousModulus, Set<Long> suspects) {
        return "select " + bucket(side, modulus) + " as bucket, count(*) as row_count, "
                + side.dialect().sumHashes(rowHash(side)) + " as hash_sum\nfrom " + side.relation() + " t\nwhere "
                + where(side, previousModulus, suspects) + "\ngroup by 1";
    }

    private Map<Long, Summary> summarise(Side side, long modulus, long previousModulus, Set<Long> suspects) {
        queries++;
        long started = System.nanoTime();
        Map<Long, Summary> out = new HashMap<>();
        side.reader().query(summarySql(side, modulus, previousModulus, suspects), side.parameters(), rs -> {
            out.put(rs.getLong(1), new Summary(rs.getLong(2), new java.math.BigDecimal(rs.getString(3)).toBigInteger()
                    .mod(MOD64)));
            return null;
        });
        timings.add(side.name() + " segments of " + modulus + ": " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return out;
    }

    /** A listed row: its hash and its compared columns as text. */
    private record Listed(long hash, List<String> values) {
    }

    private Result listAndCompare(Side left, Side right, long modulus, Set<Long> differing, int level) {
        Map<String, Listed> l = list(left, modulus, differing);
        Map<String, Listed> r = list(right, modulus, differing);
        List<String> onlyLeft = new ArrayList<>();
        List<String> onlyRight = new ArrayList<>();
        List<ChangedRow> changed = new ArrayList<>();
        for (Map.Entry<String, Listed> e : new TreeMap<>(l).entrySet()) {
            Listed other = r.get(e.getKey());
            if (other == null) {
                onlyLeft.add(e.getKey());
            } else if (other.hash() != e.getValue().hash()) {
                List<String> columns = new ArrayList<>();
                for (int i = 0; i < left.columns().size(); i++) {
                    if (!java.util.Objects.equals(e.getValue().values().get(i), other.values().get(i))) {
                        columns.add(left.columns().get(i));
                    }
                }
                changed.add(new ChangedRow(e.getKey(), columns));
            }
        }
        for (String key : new TreeSet<>(r.keySet())) {
            if (!l.containsKey(key)) {
                onlyRight.add(key);
            }
        }
        return new Result(onlyLeft, onlyRight, changed, level, queries, l.size() + r.size(), List.copyOf(timings));
    }

    /** The rows of the suspect segments, with their hash and compared columns: one filtered scan per side. */
    private Map<String, Listed> list(Side side, long modulus, Set<Long> buckets) {
        queries++;
        long started = System.nanoTime();
        Map<String, Listed> out = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("select ").append(side.dialect().text(side.key())).append(" as k, ")
                .append(rowHash(side)).append(" as h");
        for (String column : side.columns()) {
            sql.append(", ").append(side.dialect().text(column));
        }
        sql.append("\nfrom ").append(side.relation()).append(" t\nwhere ").append(where(side, modulus, buckets));
        side.reader().query(sql.toString(), side.parameters(), rs -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < side.columns().size(); i++) {
                values.add(rs.getString(i + 3));
            }
            // the same number mod 2^64 whether the dialect's hash is signed or unsigned
            out.put(rs.getString(1), new Listed(new java.math.BigDecimal(rs.getString(2)).toBigInteger().longValue(),
                    values));
            return null;
        });
        timings.add(side.name() + " rows of " + buckets.size() + " segments: " + (System.nanoTime() - started) / 1_000_000
                + " ms");
        return out;
    }

    /** One plain hashed full scan of a side, with the row hash the diff uses: the benchmark's baseline. */
    public String hashedScanSql(Side left, Side right, Side of) {
        sameDialect = left.dialect() == right.dialect();
        return "select count(*), " + of.dialect().sumHashes(rowHash(of)) + "\nfrom " + of.relation() + " t\nwhere "
                + (of.filter() == null || of.filter().isBlank() ? "1 = 1" : of.filter());
    }
}
