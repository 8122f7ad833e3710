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

    /**
     * How finely to cut: first segments, the factor each bisection multiplies them by, when to list rows,
     * and how segments are cut: by a hash of the key (any key, no index needed: every level scans each
     * side), or by key range ({@code keyRanges}: segments are the keys' leading characters, so after the
     * first full scan only the differing segments' key ranges are read again; meant for a text key with
     * an index on it on both sides, such as a primary key).
     */
    public record Options(int segments, int fanout, long leafRows, int maxLevels, boolean keyRanges) {

        /** Powers of two: a bucket is then the same whether the side's 64-bit hash is signed or unsigned. */
        public Options {
            if (Long.bitCount(segments) != 1 || Long.bitCount(fanout) != 1 || fanout < 2 || leafRows < 1
                    || maxLevels < 1) {
                throw new IllegalArgumentException("segments and fanout are powers of two (fanout at least 2), "
                        + "leafRows and maxLevels positive");
            }
        }

        public Options(int segments, int fanout, long leafRows, int maxLevels) {
            this(segments, fanout, leafRows, maxLevels, false);
        }

        /** The same cuts, by key range. */
        public Options byKeyRange() {
            return new Options(segments, fanout, leafRows, maxLevels, true);
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
        if (options.keyRanges()) {
            return new KeyRanges(this, left, right, options).diff();
        }
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
        return compare(left, l, r, level);
    }

    /** Keys only on one side, and keys on both whose row hashes differ with the columns that differ. */
    private Result compare(Side left, Map<String, Listed> l, Map<String, Listed> r, int level) {
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
        StringBuilder sql = new StringBuilder(listedColumns(side));
        sql.append("\nfrom ").append(side.relation()).append(" t\nwhere ").append(where(side, modulus, buckets));
        side.reader().query(sql.toString(), side.parameters(), rs -> {
            putListed(side, out, rs);
            return null;
        });
        timings.add(side.name() + " rows of " + buckets.size() + " segments: " + (System.nanoTime() - started) / 1_000_000
                + " ms");
        return out;
    }

    /** The select list of listed rows: key as text, row hash, then the compared columns as text. */
    private String listedColumns(Side side) {
        StringBuilder sql = new StringBuilder("select ").append(side.dialect().text(side.key())).append(" as k, ")
                .append(rowHash(side)).append(" as h");
        for (String column : side.columns()) {
            sql.append(", ").append(side.dialect().text(column));
        }
        return sql.toString();
    }

    private static void putListed(Side side, Map<String, Listed> out, java.sql.ResultSet rs) throws java.sql.SQLException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < side.columns().size(); i++) {
            values.add(rs.getString(i + 3));
        }
        // the same number mod 2^64 whether the dialect's hash is signed or unsigned
        out.put(rs.getString(1), new Listed(new java.math.BigDecimal(rs.getString(2)).toBigInteger().longValue(), values));
    }

    private static Summary summary(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Summary(rs.getLong(2), new java.math.BigDecimal(rs.getString(3)).toBigInteger().mod(MOD64));
    }

    private static String filter(Side side) {
        return side.filter() == null || side.filter().isBlank() ? "1 = 1" : side.filter();
    }

    /**
     * Segments by key range: a segment is the set of keys sharing their first n characters, so one level
     * is {@code group by substr(key, 1, n)} and the rows of a segment lie in the key range
     * {@code [prefix, prefix with its last character raised)}, which an index on the key reads alone.
     * The first level is one full scan per side; later levels and the listing read only the differing
     * segments' ranges. Whether a range held exactly its segment's rows is checked against the counts of
     * the level before (a collation that does not keep a prefix's keys together would fail it): a side
     * that fails is read again without ranges, so the answer never depends on the collation.
     */
    private static final class KeyRanges {

        /** More differing segments than this are read by a filtered full scan rather than as ranges. */
        private static final int MAX_RANGES = 256;
        private static final String NULL_SEGMENT = "\0null";
        private static final long SAMPLE_EVERY = 1024;
        /** A table sample of fewer keys (a small partition) is replaced by the hash sample, which is the same every time. */
        private static final int MIN_SAMPLE = 1_000;

        private final TableDiff diff;
        private final Side left;
        private final Side right;
        private final Options options;

        KeyRanges(TableDiff diff, Side left, Side right, Options options) {
            this.diff = diff;
            this.left = left;
            this.right = right;
            this.options = options;
        }

        Result diff() {
            List<String> sample = sample(left);
            if (sample.isEmpty()) {
                sample = sample(right);
            }
            int length = firstLength(sample);
            int level = 0;
            Set<String> suspects = null;
            Map<String, Summary> parentLeft = null;
            Map<String, Summary> parentRight = null;
            int parentLength = 0;
            while (true) {
                level++;
                Map<String, Summary> l = summarise(left, length, parentLength, suspects, parentLeft);
                Map<String, Summary> r = summarise(right, length, parentLength, suspects, parentRight);
                Set<String> differing = new TreeSet<>();
                Set<String> segments = new TreeSet<>(l.keySet());
                segments.addAll(r.keySet());
                long rows = 0;
                for (String s : segments) {
                    Summary a = l.get(s);
                    Summary c = r.get(s);
                    if (a == null || c == null || a.rows() != c.rows() || !a.hashSum().equals(c.hashSum())) {
                        differing.add(s);
                        rows += Math.max(a == null ? 0 : a.rows(), c == null ? 0 : c.rows());
                    }
                }
                if (differing.isEmpty()) {
                    return new Result(List.of(), List.of(), List.of(), level, diff.queries, 0, List.copyOf(diff.timings));
                }
                if (rows <= options.leafRows() || level >= options.maxLevels()) {
                    Map<String, Listed> ll = list(left, length, differing, l);
                    Map<String, Listed> rl = list(right, length, differing, r);
                    return diff.compare(left, ll, rl, level);
                }
                suspects = differing;
                parentLeft = l;
                parentRight = r;
                parentLength = length;
                length++;
            }
        }

        /**
         * About one key in {@link #SAMPLE_EVERY} of a side's partition: where the keys' characters start to
         * differ, to choose the first segments' prefix length. A dialect's table sample reads only the sampled
         * rows; otherwise (or when that sample is too small to judge by) the keys whose hash falls in one
         * bucket are taken, a scan reading the key alone.
         */
        private List<String> sample(Side side) {
            String sampled = side.dialect().sampled(side.relation(), "t", 100.0 / SAMPLE_EVERY);
            if (sampled != null) {
                List<String> out = sample(side, sampled, filter(side), "table sample");
                if (out.size() >= MIN_SAMPLE) {
                    return out;
                }
            }
            return sample(side, side.relation() + " t", filter(side) + " and " + diff.bucket(side, SAMPLE_EVERY) + " = 0",
                    "key sample by hash");
        }

        private List<String> sample(Side side, String relation, String where, String how) {
            diff.queries++;
            long started = System.nanoTime();
            List<String> out = side.reader().query("select " + side.dialect().text(side.key()) + "\nfrom " + relation
                    + "\nwhere " + where, side.parameters(), rs -> rs.getString(1));
            out.removeIf(java.util.Objects::isNull);
            diff.timings.add(side.name() + " " + how + ": " + out.size() + " keys in " + (System.nanoTime() - started)
                    / 1_000_000 + " ms");
            return out;
        }

        /**
         * The shortest prefix length that cuts the sample into the asked number of segments, or into
         * segments of about two sampled keys each when the sample is smaller than that.
         */
        private int firstLength(List<String> sample) {
            int longest = sample.stream().mapToInt(k -> k.codePointCount(0, k.length())).max().orElse(1);
            long wanted = Math.max(1, Math.min(options.segments(), sample.size() / 2));
            for (int length = 1; length < longest; length++) {
                Set<String> prefixes = new java.util.HashSet<>();
                for (String k : sample) {
                    prefixes.add(segmentOf(k, length));
                }
                if (prefixes.size() >= wanted) {
                    return length;
                }
            }
            return Math.max(1, longest);
        }

        private static int commonPrefix(String a, String b) {
            int n = Math.min(a.length(), b.length());
            int i = 0;
            while (i < n && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            return i;
        }

        private static String segmentOf(String key, int length) {
            if (key == null) {
                return NULL_SEGMENT;
            }
            int codePoints = key.codePointCount(0, key.length());
            return codePoints <= length ? key : key.substring(0, key.offsetByCodePoints(0, length));
        }

        /** The first key after every key starting with the prefix, in code point order; null when there is none. */
        static String after(String prefix) {
            StringBuilder p = new StringBuilder(prefix);
            while (p.length() > 0) {
                char last = p.charAt(p.length() - 1);
                if (last < Character.MAX_VALUE && !Character.isSurrogate(last)) {
                    p.setCharAt(p.length() - 1, (char) (last + 1));
                    return p.toString();
                }
                p.setLength(p.length() - 1);
            }
            return null;
        }

        private String segmentSql(Side side, int length) {
            return "substr(" + side.dialect().text(side.key()) + ", 1, " + length + ")";
        }

        /**
         * The side's filter restricted to the given segments of the given prefix length: by key ranges when
         * {@code ranges} (each with its prefix rechecked), else by the prefixes alone (a full scan).
         */
        private String restricted(Side side, int length, Set<String> segments, boolean ranges, List<Object> params) {
            params.addAll(side.parameters());
            StringBuilder where = new StringBuilder(filter(side));
            if (segments == null) {
                return where.toString();
            }
            String key = "t." + side.key();
            List<String> arms = new ArrayList<>();
            List<String> inList = new ArrayList<>();
            for (String s : segments) {
                if (s.equals(NULL_SEGMENT)) {
                    arms.add(key + " is null");
                } else if (ranges) {
                    String to = after(s);
                    arms.add("(" + key + " >= ?" + (to == null ? "" : " and " + key + " < ?") + " and "
                            + segmentSql(side, length) + " = ?)");
                    params.add(s);
                    if (to != null) {
                        params.add(to);
                    }
                    params.add(s);
                } else {
                    inList.add(s);
                }
            }
            if (!inList.isEmpty()) {
                arms.add(segmentSql(side, length) + " in (" + String.join(", ", java.util.Collections.nCopies(inList.size(), "?"))
                        + ")");
                params.addAll(inList);
            }
            return where.append(" and (").append(String.join("\n    or ", arms)).append(")").toString();
        }

        private Map<String, Summary> summarise(Side side, int length, int parentLength, Set<String> suspects,
                                               Map<String, Summary> parent) {
            boolean ranges = suspects != null && suspects.size() <= MAX_RANGES;
            Map<String, Summary> out = summariseOnce(side, length, parentLength, suspects, ranges);
            if (ranges && !consistent(out, parent, parentLength, suspects)) {
                out = summariseOnce(side, length, parentLength, suspects, false);
            }
            return out;
        }

        private Map<String, Summary> summariseOnce(Side side, int length, int parentLength, Set<String> suspects,
                                                   boolean ranges) {
            diff.queries++;
            long started = System.nanoTime();
            List<Object> params = new ArrayList<>();
            String where = restricted(side, parentLength, suspects, ranges, params);
            String sql = "select " + segmentSql(side, length) + " as segment, count(*) as row_count, "
                    + side.dialect().sumHashes(diff.rowHash(side)) + " as hash_sum\nfrom " + side.relation() + " t\nwhere "
                    + where + "\ngroup by 1";
            Map<String, Summary> out = new HashMap<>();
            side.reader().query(sql, params, rs -> {
                String s = rs.getString(1);
                out.put(s == null ? NULL_SEGMENT : s, summary(rs));
                return null;
            });
            diff.timings.add(side.name() + " segments of " + length + " characters" + (suspects == null ? "" : " in "
                    + suspects.size() + (ranges ? " key ranges" : " segments (full scan)")) + ": " + out.size() + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            return out;
        }

        /** Whether the finer segments add up, per suspect parent segment, to the rows the parent level counted. */
        private static boolean consistent(Map<String, Summary> children, Map<String, Summary> parent, int parentLength,
                                          Set<String> suspects) {
            Map<String, Long> rows = new HashMap<>();
            children.forEach((s, summary) -> rows.merge(s.equals(NULL_SEGMENT) ? s : segmentOf(s, parentLength),
                    summary.rows(), Long::sum));
            return whole(rows, parent, suspects);
        }

        /** Every row counted: the rows found per segment are exactly the counted ones, in the asked segments only. */
        private static boolean whole(Map<String, Long> rows, Map<String, Summary> counted, Set<String> segments) {
            for (String s : segments) {
                Summary c = counted.get(s);
                if ((c == null ? 0 : c.rows()) != rows.getOrDefault(s, 0L)) {
                    return false;
                }
            }
            return segments.containsAll(rows.keySet());
        }

        private Map<String, Listed> list(Side side, int length, Set<String> segments, Map<String, Summary> counted) {
            boolean ranges = segments.size() <= MAX_RANGES;
            Map<String, Listed> out = listOnce(side, length, segments, ranges);
            if (ranges) {
                Map<String, Long> rows = new HashMap<>();
                out.keySet().forEach(k -> rows.merge(segmentOf(k, length), 1L, Long::sum));
                // every segment this side counted must come back whole
                if (!whole(rows, counted, segments)) {
                    out = listOnce(side, length, segments, false);
                }
            }
            return out;
        }

        private Map<String, Listed> listOnce(Side side, int length, Set<String> segments, boolean ranges) {
            diff.queries++;
            long started = System.nanoTime();
            List<Object> params = new ArrayList<>();
            String sql = diff.listedColumns(side) + "\nfrom " + side.relation() + " t\nwhere "
                    + restricted(side, length, segments, ranges, params);
            Map<String, Listed> out = new LinkedHashMap<>();
            side.reader().query(sql, params, rs -> {
                putListed(side, out, rs);
                return null;
            });
            diff.timings.add(side.name() + " rows of " + segments.size() + (ranges ? " key ranges" : " segments (full scan)")
                    + ": " + out.size() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return out;
        }
    }

    /** The first text after every text starting with the prefix, in code point order; null when there is none. */
    static String rangeEnd(String prefix) {
        return KeyRanges.after(prefix);
    }

    /** One plain hashed full scan of a side, with the row hash the diff uses: the benchmark's baseline. */
    public String hashedScanSql(Side left, Side right, Side of) {
        sameDialect = left.dialect() == right.dialect();
        return "select count(*), " + of.dialect().sumHashes(rowHash(of)) + "\nfrom " + of.relation() + " t\nwhere "
                + (of.filter() == null || of.filter().isBlank() ? "1 = 1" : of.filter());
    }
}
