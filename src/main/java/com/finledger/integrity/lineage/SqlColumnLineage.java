package com.finledger.integrity.lineage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Column lineage of one compiled dbt model: which columns of which relations each output column is
 * computed from. A deliberately small reader of the SELECT statements our models compile to (CTEs,
 * subqueries in FROM, joins, {@code *} and {@code alias.*}, UNION, casts, function calls, CASE,
 * PostgreSQL's {@code ->>} and Snowflake's {@code :"field"::type}), not a SQL parser: it follows the
 * <em>direct</em> column references of each select-list expression through CTEs and subqueries down to
 * the base relations. References in WHERE, JOIN conditions, GROUP BY and window specifications (what
 * OpenLineage calls indirect lineage) are not reported. {@code *} over a relation needs that relation's
 * columns ({@code columnsOf}); where a reference cannot be resolved, or the statement has a shape this
 * reader does not know, the result says it is not {@link Result#complete() complete} and the caller
 * leaves the column lineage out rather than publish a guess.
 */
public final class SqlColumnLineage {

    /** How an output column derives from an input column (OpenLineage DIRECT transformation subtypes). */
    public enum Kind { IDENTITY, TRANSFORMATION, AGGREGATION }

    /** An input column of an output column. */
    public record Source(String relation, String column, Kind kind) {
    }

    /**
     * The output columns in order, each one's inputs, the relations the statement reads
     * ({@code database.schema.table}, lower case), and whether every column was resolved.
     */
    public record Result(List<String> columns, Map<String, Set<Source>> lineage, List<String> relations,
                         boolean complete) {
    }

    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "and", "or", "not", "null", "is",
            "in", "like", "ilike", "between", "case", "when", "then", "else", "end", "as", "on", "join", "left", "right",
            "full", "outer", "inner", "cross", "natural", "using", "group", "by", "order", "having", "limit", "offset",
            "distinct", "over", "partition", "rows", "range", "unbounded", "preceding", "following", "current", "row",
            "asc", "desc", "nulls", "first", "last", "true", "false", "interval", "exists", "all", "any", "some",
            "union", "except", "intersect", "filter", "within", "qualify", "window", "with", "lateral", "escape",
            "similar", "to", "at", "time", "zone", "collate");
    private static final Set<String> AGGREGATES = Set.of("sum", "count", "avg", "min", "max", "array_agg",
            "string_agg", "listagg", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
            "bool_and", "bool_or", "any_value", "median", "mode", "percentile_cont", "percentile_disc", "object_agg",
            "jsonb_agg", "json_agg", "jsonb_object_agg", "array_union_agg", "approx_count_distinct", "hll");
    private static final Set<String> CLAUSE_ENDS = Set.of("union", "except", "intersect");

    private SqlColumnLineage() {
    }

    /** {@code "postgres"."staging"."payments"} (or unquoted) as {@code postgres.staging.payments}. */
    public static String unquote(String relationName) {
        List<Token> tokens = tokenize(relationName);
        StringBuilder name = new StringBuilder();
        for (Token t : tokens) {
            name.append(t.type == Type.IDENT ? t.text : t.text.equals(".") ? "." : "");
        }
        return name.toString();
    }

    /**
     * Reads one compiled model. {@code columnsOf} gives a base relation's columns in order (by its
     * {@code database.schema.table} name), where known.
     */
    public static Result analyse(String sql, Function<String, Optional<List<String>>> columnsOf) {
        Parser parser = new Parser(tokenize(sql), columnsOf);
        try {
            Derived query = parser.query(new LinkedHashMap<>());
            if (!parser.atEnd()) {
                query = query.incomplete();
            }
            Map<String, Set<Source>> lineage = new LinkedHashMap<>();
            for (int i = 0; i < query.columns.size(); i++) {
                Set<Source> sources = new TreeSet<>(Comparator.comparing(Source::relation)
                        .thenComparing(Source::column).thenComparing(Source::kind));
                query.lineage.get(i).forEach((ref, kind) -> sources.add(new Source(ref.relation, ref.column, kind)));
                lineage.merge(query.columns.get(i), sources, (a, b) -> {
                    a.addAll(b);
                    return a;
                });
            }
            return new Result(List.copyOf(query.columns), lineage, List.copyOf(new TreeSet<>(query.relations)),
                    query.complete && new LinkedHashSet<>(query.columns).size() == query.columns.size());
        } catch (RuntimeException e) {
            return new Result(List.of(), Map.of(), List.copyOf(new TreeSet<>(parser.relationsSeen)), false);
        }
    }

    // ------------------------------------------------------------------ tokens

    private enum Type { IDENT, STRING, NUMBER, SYMBOL }

    private record Token(Type type, String text, boolean quoted) {

        boolean is(String s) {
            return (type == Type.SYMBOL || type == Type.IDENT && !quoted) && text.equals(s);
        }

        boolean isName() {
            return type == Type.IDENT && (quoted || !KEYWORDS.contains(text));
        }
    }

    private static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (ch == '\'') {
                StringBuilder s = new StringBuilder();
                i++;
                while (i < n) {
                    if (sql.charAt(i) == '\'' && i + 1 < n && sql.charAt(i + 1) == '\'') {
                        s.append('\'');
                        i += 2;
                    } else if (sql.charAt(i) == '\'') {
                        i++;
                        break;
                    } else {
                        s.append(sql.charAt(i++));
                    }
                }
                tokens.add(new Token(Type.STRING, s.toString(), false));
            } else if (ch == '"') {
                int end = sql.indexOf('"', i + 1);
                end = end < 0 ? n : end;
                tokens.add(new Token(Type.IDENT, sql.substring(i + 1, end).toLowerCase(Locale.ROOT), true));
                i = end + 1;
            } else if (Character.isLetter(ch) || ch == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Type.IDENT, sql.substring(start, i).toLowerCase(Locale.ROOT), false));
            } else if (Character.isDigit(ch)) {
                int start = i;
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Type.NUMBER, sql.substring(start, i), false));
            } else if ("(),.*;".indexOf(ch) >= 0) {
                tokens.add(new Token(Type.SYMBOL, Character.toString(ch), false));
                i++;
            } else if (ch == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                tokens.add(new Token(Type.SYMBOL, "::", false));
                i += 2;
            } else {
                int start = i;
                while (i < n && "+-/<>=!~|&%^#@:?[]{}".indexOf(sql.charAt(i)) >= 0) {
                    if (sql.charAt(i) == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                        break;
                    }
                    i++;
                }
                if (i == start) {
                    i++;
                }
                tokens.add(new Token(Type.SYMBOL, sql.substring(start, i), false));
            }
        }
        return tokens;
    }

    // ------------------------------------------------------------------ relations as the parser sees them

    private record ColumnRef(String relation, String column) {
    }

    /** A relation in a query: its columns in order (each with its inputs), the base relations it reads. */
    private static final class Derived {
        final List<String> columns = new ArrayList<>();
        final List<Map<ColumnRef, Kind>> lineage = new ArrayList<>();
        final Set<String> relations = new LinkedHashSet<>();
        boolean complete = true;
        /** A base relation whose columns are not known: any column named is taken to be its own. */
        String opaque;

        Derived incomplete() {
            complete = false;
            return this;
        }

        void add(String column, Map<ColumnRef, Kind> inputs) {
            columns.add(column);
            lineage.add(inputs);
        }

        Optional<Map<ColumnRef, Kind>> column(String name) {
            int i = columns.indexOf(name);
            if (i >= 0) {
                return Optional.of(lineage.get(i));
            }
            if (opaque != null) {
                return Optional.of(Map.of(new ColumnRef(opaque, name), Kind.IDENTITY));
            }
            return Optional.empty();
        }
    }

    private record FromItem(String alias, Derived relation) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final Function<String, Optional<List<String>>> columnsOf;
        private final Set<String> relationsSeen = new LinkedHashSet<>();
        private int pos;

        Parser(List<Token> tokens, Function<String, Optional<List<String>>> columnsOf) {
            this.tokens = tokens;
            this.columnsOf = columnsOf;
        }

        boolean atEnd() {
            while (pos < tokens.size() && tokens.get(pos).is(";")) {
                pos++;
            }
            return pos >= tokens.size();
        }

        private Token peek(int ahead) {
            return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : new Token(Type.SYMBOL, "<end>", false);
        }

        private boolean accept(String s) {
            if (peek(0).is(s)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(String s) {
            if (!accept(s)) {
                throw new IllegalStateException("expected " + s + " at token " + pos + " (" + peek(0).text + ")");
            }
        }

        /** [WITH cte AS (query), ...] set-expression */
        Derived query(Map<String, Derived> outer) {
            Map<String, Derived> ctes = new LinkedHashMap<>(outer);
            if (accept("with")) {
                accept("recursive");
                do {
                    String name = peek(0).text;
                    pos++;
                    if (peek(0).is("(")) {
                        return skipUnknown(); // a column list on a CTE: not a shape our models use
                    }
                    expect("as");
                    expect("(");
                    Derived cte = query(ctes);
                    expect(")");
                    ctes.put(name, cte);
                } while (accept(","));
            }
            Derived result = term(ctes);
            while (CLAUSE_ENDS.contains(peek(0).text) && peek(0).type == Type.IDENT) {
                pos++;
                if (!accept("all")) {
                    accept("distinct");
                }
                result = union(result, term(ctes));
            }
            skipClauses(); // ORDER BY / LIMIT of the whole set expression
            return result;
        }

        private Derived skipUnknown() {
            Derived d = new Derived();
            d.complete = false;
            int depth = 0;
            while (pos < tokens.size()) {
                Token t = peek(0);
                if (t.is("(")) {
                    depth++;
                } else if (t.is(")")) {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                }
                pos++;
            }
            return d;
        }

        private Derived term(Map<String, Derived> ctes) {
            if (accept("(")) {
                Derived d = query(ctes);
                expect(")");
                return d;
            }
            return select(ctes);
        }

        private static Derived union(Derived left, Derived right) {
            Derived d = new Derived();
            d.complete = left.complete && right.complete && left.columns.size() == right.columns.size();
            for (int i = 0; i < left.columns.size(); i++) {
                Map<ColumnRef, Kind> inputs = new LinkedHashMap<>(left.lineage.get(i));
                if (i < right.lineage.size()) {
                    right.lineage.get(i).forEach((ref, kind) -> inputs.merge(ref, kind, Parser::max));
                }
                d.add(left.columns.get(i), inputs);
            }
            d.relations.addAll(left.relations);
            d.relations.addAll(right.relations);
            return d;
        }

        private static Kind max(Kind a, Kind b) {
            return a.ordinal() >= b.ordinal() ? a : b;
        }

        /** SELECT [DISTINCT] items [FROM items [JOIN ...]] [other clauses, skipped] */
        private Derived select(Map<String, Derived> ctes) {
            expect("select");
            if (!accept("distinct")) {
                accept("all");
            }
            List<List<Token>> items = new ArrayList<>();
            List<Token> current = new ArrayList<>();
            int depth = 0;
            while (pos < tokens.size()) {
                Token t = peek(0);
                if (depth == 0 && (t.is("from") || t.is(")") || t.is(";") || t.is("where")
                        || CLAUSE_ENDS.contains(t.text) && t.type == Type.IDENT)) {
                    break;
                }
                if (t.is("(")) {
                    depth++;
                } else if (t.is(")")) {
                    depth--;
                }
                if (depth == 0 && t.is(",")) {
                    items.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(t);
                }
                pos++;
            }
            items.add(current);
            List<FromItem> from = new ArrayList<>();
            Derived result = new Derived();
            if (accept("from")) {
                from.add(fromItem(ctes));
                while (true) {
                    if (accept(",")) {
                        from.add(fromItem(ctes));
                        continue;
                    }
                    int mark = pos;
                    accept("natural");
                    if (!accept("inner") && !accept("cross")) {
                        if (accept("left") || accept("right") || accept("full")) {
                            accept("outer");
                        }
                    }
                    if (!accept("join")) {
                        pos = mark;
                        break;
                    }
                    accept("lateral");
                    from.add(fromItem(ctes));
                    if (accept("on")) {
                        skipExpression();
                    } else if (accept("using")) {
                        expect("(");
                        skipTo(")");
                    }
                }
            }
            skipClauses();
            from.forEach(f -> result.relations.addAll(f.relation().relations));
            for (FromItem f : from) {
                result.complete &= f.relation().complete;
            }
            for (List<Token> item : items) {
                selectItem(item, from, result);
            }
            return result;
        }

        private FromItem fromItem(Map<String, Derived> ctes) {
            Derived relation;
            String defaultAlias;
            if (accept("(")) {
                relation = query(ctes);
                expect(")");
                defaultAlias = null;
            } else {
                List<String> parts = new ArrayList<>();
                parts.add(name());
                while (peek(0).is(".")) {
                    pos++;
                    parts.add(name());
                }
                defaultAlias = parts.get(parts.size() - 1);
                if (parts.size() == 1 && ctes.containsKey(parts.get(0))) {
                    relation = ctes.get(parts.get(0));
                } else {
                    relation = base(String.join(".", parts));
                }
            }
            String alias = defaultAlias;
            if (accept("as")) {
                alias = name();
            } else if (peek(0).isName()) {
                alias = name();
            }
            return new FromItem(alias, relation);
        }

        private Derived base(String relation) {
            relationsSeen.add(relation);
            Derived d = new Derived();
            d.relations.add(relation);
            Optional<List<String>> columns = columnsOf.apply(relation);
            if (columns.isPresent()) {
                columns.get().forEach(col -> d.add(col.toLowerCase(Locale.ROOT),
                        Map.of(new ColumnRef(relation, col.toLowerCase(Locale.ROOT)), Kind.IDENTITY)));
            } else {
                d.opaque = relation;
            }
            return d;
        }

        private String name() {
            Token t = peek(0);
            if (t.type != Type.IDENT) {
                throw new IllegalStateException("expected a name at token " + pos + " (" + t.text + ")");
            }
            pos++;
            return t.text;
        }

        /** An ON condition: up to the next join, clause or the end of this query. */
        private void skipExpression() {
            int depth = 0;
            while (pos < tokens.size()) {
                Token t = peek(0);
                if (depth == 0 && (t.is(")") || t.is(",") || t.is("join") || t.is("left") || t.is("right")
                        || t.is("full") || t.is("inner") || t.is("cross") || t.is("natural") || t.is("where")
                        || t.is("group") || t.is("order") || t.is("having") || t.is("limit") || t.is("qualify")
                        || t.is("window") || t.is(";") || CLAUSE_ENDS.contains(t.text) && t.type == Type.IDENT)) {
                    return;
                }
                if (t.is("(")) {
                    depth++;
                } else if (t.is(")")) {
                    depth--;
                }
                pos++;
            }
        }

        private void skipTo(String close) {
            int depth = 0;
            while (pos < tokens.size()) {
                Token t = peek(0);
                pos++;
                if (t.is("(")) {
                    depth++;
                } else if (t.is(close) && depth == 0) {
                    return;
                } else if (t.is(")")) {
                    depth--;
                }
            }
        }

        /** WHERE, GROUP BY, HAVING, QUALIFY, WINDOW, ORDER BY, LIMIT: up to the end of this query. */
        private void skipClauses() {
            int depth = 0;
            while (pos < tokens.size()) {
                Token t = peek(0);
                if (depth == 0 && (t.is(")") || t.is(";") || CLAUSE_ENDS.contains(t.text) && t.type == Type.IDENT)) {
                    return;
                }
                if (t.is("(")) {
                    depth++;
                } else if (t.is(")")) {
                    depth--;
                }
                pos++;
            }
        }

        /** One select-list item: its output column(s) and their direct inputs. */
        private void selectItem(List<Token> item, List<FromItem> from, Derived result) {
            if (item.isEmpty()) {
                result.complete = false;
                return;
            }
            if (item.size() == 1 && item.get(0).is("*")) {
                for (FromItem f : from) {
                    star(f, result);
                }
                return;
            }
            if (item.size() == 3 && item.get(0).type == Type.IDENT && item.get(1).is(".") && item.get(2).is("*")) {
                Optional<FromItem> f = find(from, item.get(0).text);
                if (f.isPresent()) {
                    star(f.get(), result);
                } else {
                    result.complete = false;
                }
                return;
            }
            List<Token> expression = item;
            String alias = null;
            int n = item.size();
            if (n >= 3 && item.get(n - 2).is("as") && item.get(n - 1).type == Type.IDENT) {
                alias = item.get(n - 1).text;
                expression = item.subList(0, n - 2);
            } else if (n >= 2 && item.get(n - 1).isName() && impliesAlias(item.get(n - 2))) {
                alias = item.get(n - 1).text;
                expression = item.subList(0, n - 1);
            }
            Map<ColumnRef, Kind> inputs = new LinkedHashMap<>();
            boolean aggregate = false;
            List<String[]> references = new ArrayList<>();
            for (int i = 0; i < expression.size(); i++) {
                Token t = expression.get(i);
                Token previous = i > 0 ? expression.get(i - 1) : null;
                Token next = i + 1 < expression.size() ? expression.get(i + 1) : null;
                if (t.is("over") && next != null && next.is("(")) {
                    i = closing(expression, i + 1); // a window specification: indirect
                    continue;
                }
                if (t.type != Type.IDENT || !t.isName()) {
                    continue;
                }
                if (next != null && next.is("(")) {
                    aggregate |= AGGREGATES.contains(t.text);
                    continue; // a function
                }
                if (previous != null && (previous.is("::") || previous.is("as") || previous.text.equals(":")
                        || previous.is("."))) {
                    continue; // a type, a Snowflake path segment, or the column part of a qualified name
                }
                if (next != null && next.is(".") && i + 2 < expression.size()
                        && expression.get(i + 2).type == Type.IDENT) {
                    // qualifier.column, or database.schema.table.column: the last two parts
                    int j = i + 2;
                    while (j + 2 < expression.size() && expression.get(j + 1).is(".")
                            && expression.get(j + 2).type == Type.IDENT) {
                        j += 2;
                    }
                    if (j + 1 < expression.size() && expression.get(j + 1).is("(")) {
                        i = j;
                        continue; // schema.function(...)
                    }
                    references.add(new String[] {expression.get(j - 2).text, expression.get(j).text});
                    i = j;
                    continue;
                }
                references.add(new String[] {null, t.text});
            }
            boolean identity = references.size() == 1 && onlyAName(expression);
            Kind kind = aggregate ? Kind.AGGREGATION : identity ? Kind.IDENTITY : Kind.TRANSFORMATION;
            for (String[] ref : references) {
                Optional<Map<ColumnRef, Kind>> resolved = resolve(from, ref[0], ref[1]);
                if (resolved.isEmpty()) {
                    result.complete = false;
                    continue;
                }
                resolved.get().forEach((col, k) -> inputs.merge(col, max(k, kind), Parser::max));
            }
            String name = alias;
            if (name == null) {
                if (identity) {
                    name = references.get(0)[1];
                } else {
                    result.complete = false; // an unnamed computed column
                    name = "?column?";
                }
            }
            result.add(name, inputs);
        }

        /** {@code column} or {@code qualifier.column} (or longer dotted), nothing else. */
        private static boolean onlyAName(List<Token> expression) {
            if (expression.size() % 2 == 0) {
                return false;
            }
            for (int i = 0; i < expression.size(); i++) {
                if (i % 2 == 0 ? expression.get(i).type != Type.IDENT : !expression.get(i).is(".")) {
                    return false;
                }
            }
            return true;
        }

        private static boolean impliesAlias(Token before) {
            return before.is(")") || before.type == Type.STRING || before.type == Type.NUMBER
                    || before.type == Type.IDENT && (before.quoted || !KEYWORDS.contains(before.text)
                    || before.text.equals("end"));
        }

        private static int closing(List<Token> tokens, int open) {
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                if (tokens.get(i).is("(")) {
                    depth++;
                } else if (tokens.get(i).is(")") && --depth == 0) {
                    return i;
                }
            }
            return tokens.size();
        }

        private static void star(FromItem f, Derived result) {
            Derived r = f.relation();
            if (r.opaque != null) {
                result.complete = false; // * over a relation whose columns are not known
                return;
            }
            for (int i = 0; i < r.columns.size(); i++) {
                result.add(r.columns.get(i), r.lineage.get(i));
            }
        }

        private static Optional<FromItem> find(List<FromItem> from, String alias) {
            return from.stream().filter(f -> alias.equals(f.alias())).findFirst();
        }

        private static Optional<Map<ColumnRef, Kind>> resolve(List<FromItem> from, String qualifier, String column) {
            if (qualifier != null) {
                return find(from, qualifier).flatMap(f -> f.relation().column(column));
            }
            List<FromItem> having = from.stream().filter(f -> f.relation().columns.contains(column)).toList();
            if (having.size() == 1) {
                return having.get(0).relation().column(column);
            }
            if (having.isEmpty()) {
                List<FromItem> opaque = from.stream().filter(f -> f.relation().opaque != null).toList();
                if (opaque.size() == 1) {
                    return opaque.get(0).relation().column(column);
                }
            }
            return Optional.empty();
        }
    }

    /** For tests and logs: the lineage as {@code column <- relation.column (KIND), ...} lines. */
    static String describe(Result result) {
        StringBuilder s = new StringBuilder();
        Map<String, Set<Source>> sorted = new TreeMap<>(result.lineage());
        sorted.forEach((column, sources) -> {
            s.append(column).append(" <-");
            sources.forEach(src -> s.append(' ').append(src.relation()).append('.').append(src.column())
                    .append(" (").append(src.kind()).append(')'));
            s.append('\n');
        });
        return s.toString();
    }
}
