package com.finledger.integrity.matching;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.matching.MatchRule.Attribute;
import com.finledger.integrity.matching.MatchRule.Cadence;
import com.finledger.integrity.matching.MatchRule.Fx;
import com.finledger.integrity.matching.MatchRule.Reason;
import com.finledger.integrity.matching.MatchRule.Severity;
import com.finledger.integrity.matching.MatchRule.Side;
import com.finledger.integrity.matching.MatchRule.Strategy;
import com.finledger.integrity.matching.MatchRule.StrategyType;
import com.finledger.integrity.matching.MatchRule.Tolerance;
import com.finledger.integrity.platform.YamlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code rules/matching/*.yaml} against the catalog. Every problem is reported as
 * {@code file:line: what is wrong}; a set with any problem is rejected whole (the caller keeps the
 * previous valid set).
 */
public final class MatchRuleLoader {

    private static final Set<String> FILE_KEYS = Set.of("match", "description", "owner", "cadence", "sla", "severity",
            "high_severity_from_minor", "left", "right", "unmatched", "tolerance", "fx", "strategies");
    private static final Set<String> SIDE_KEYS = Set.of("name", "dataset", "reference", "amount", "fee", "currency",
            "at", "where", "processor", "partner", "minor_units", "belongs_to");
    private static final Set<String> BELONGS_KEYS = Set.of("dataset", "column", "to", "where");
    private static final Set<String> TOLERANCE_KEYS = Set.of("amount_minor", "percent", "window");
    private static final Set<String> FX_KEYS = Set.of("tolerance_percent", "rates");
    private static final Set<String> UNMATCHED_KEYS = Set.of("left", "right");
    private static final Set<String> STRATEGY_KEYS = Set.of("type", "many", "net_of_fees", "group_reference");
    private static final Set<String> GROUP_KEYS = Set.of("prefix", "parts");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CURRENCY_PAIR = Pattern.compile("[A-Z]{3}/[A-Z]{3}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_. -]+");

    public record Result(List<MatchRule> rules, List<String> errors) {
    }

    private final Catalog catalog;
    private final List<String> errors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private MatchRuleLoader(Catalog catalog) {
        this.catalog = catalog;
    }

    public static Result load(Path dir, Catalog catalog) {
        MatchRuleLoader loader = new MatchRuleLoader(catalog);
        List<MatchRule> rules = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Result(List.of(), List.of(dir + ":1: match rules folder not found"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                MatchRule rule = loader.readFile(file, "matching/" + file.getFileName());
                if (rule != null) {
                    rules.add(rule);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(loader.errors.isEmpty() ? List.copyOf(rules) : List.of(), List.copyOf(loader.errors));
    }

    private MatchRule readFile(Path file, String fileName) {
        int before = errors.size();
        YamlDocument doc = new YamlDocument(fileName, errors);
        Optional<Node> parsed = YamlDocument.parse(file, fileName, errors);
        if (parsed.isEmpty()) {
            return null;
        }
        Node root = parsed.get();
        Map<String, Node> m = doc.mapping(root, "match rule file", FILE_KEYS);
        String name = doc.text(m, root, "match", "match rule file");
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            doc.error(m.get("match"), "match rule names are lower_snake_case, not '" + name + "'");
        } else if (!name.isEmpty() && !names.add(name)) {
            doc.error(m.get("match"), "match rule '" + name + "' is declared twice");
        }
        if (!name.isEmpty() && !file.getFileName().toString().equals(name + ".yaml")) {
            doc.error(m.get("match"), "match rule '" + name + "' belongs in matching/" + name + ".yaml");
        }
        String description = doc.text(m, root, "description", "match rule file");
        String owner = doc.text(m, root, "owner", "match rule file");
        Cadence cadence = doc.enumValue(m, root, "cadence", Cadence.class, "match rule file");
        Duration sla = doc.duration(m, root, "sla", "match rule file");
        Severity severity = doc.enumValue(m, root, "severity", Severity.class, "match rule file");
        long highFrom = m.containsKey("high_severity_from_minor")
                ? wholeNumber(doc, m.get("high_severity_from_minor"), "high_severity_from_minor") : Long.MAX_VALUE;
        Side left = side(doc, m, root, "left");
        Side right = side(doc, m, root, "right");
        Reason unmatchedLeft = null;
        Reason unmatchedRight = null;
        if (!m.containsKey("unmatched")) {
            doc.error(root, "match rule file is missing 'unmatched' (the reason of a record only one side has)");
        } else {
            Map<String, Node> u = doc.mapping(m.get("unmatched"), "unmatched", UNMATCHED_KEYS);
            unmatchedLeft = doc.enumValue(u, m.get("unmatched"), "left", Reason.class, "unmatched");
            unmatchedRight = doc.enumValue(u, m.get("unmatched"), "right", Reason.class, "unmatched");
        }
        Tolerance tolerance = tolerance(doc, m, root);
        Optional<Fx> fx = m.containsKey("fx") ? fx(doc, m.get("fx")) : Optional.empty();
        List<Strategy> strategies = new ArrayList<>();
        Set<StrategyType> seen = new HashSet<>();
        for (Node item : doc.sequence(m, root, "strategies", "match rule file")) {
            Strategy strategy = strategy(doc, item, left, right);
            if (strategy == null) {
                continue;
            }
            if (!seen.add(strategy.type())) {
                doc.error(item, "strategy " + strategy.slug() + " is listed twice");
            }
            strategies.add(strategy);
        }
        if (!strategies.isEmpty() && strategies.get(0).type() != StrategyType.EXACT_REFERENCE) {
            doc.error(m.get("strategies"), "the first strategy must be exact_reference (the others work on what it leaves)");
        }
        if (errors.size() > before || left == null || right == null || cadence == null || severity == null
                || unmatchedLeft == null || unmatchedRight == null) {
            return null;
        }
        if (cadence == Cadence.WINDOW && (windowColumn(left).isEmpty() || windowColumn(right).isEmpty())) {
            doc.error(m.get("cadence"), "cadence window needs both sides' datasets cut into micro-batch windows");
            return null;
        }
        return new MatchRule(name, description, owner, cadence, sla, severity, highFrom, left, right, unmatchedLeft,
                unmatchedRight, tolerance, fx, List.copyOf(strategies), fileName, YamlDocument.line(root));
    }

    private Optional<String> windowColumn(Side side) {
        Dataset d = catalog.dataset(side.dataset());
        return d.partitioning().windowed() ? d.partitioning().timeColumn() : Optional.empty();
    }

    private Side side(YamlDocument doc, Map<String, Node> top, Node root, String key) {
        Node node = top.get(key);
        if (node == null) {
            doc.error(root, "match rule file is missing '" + key + "'");
            return null;
        }
        int before = errors.size();
        Map<String, Node> m = doc.mapping(node, key + " side", SIDE_KEYS);
        String name = doc.text(m, node, "name", key + " side");
        String datasetName = doc.text(m, node, "dataset", key + " side");
        Optional<Dataset> dataset = catalog.datasets().filter(d -> d.name().equals(datasetName)).findFirst();
        if (!datasetName.isEmpty() && dataset.isEmpty()) {
            doc.error(m.get("dataset"), "dataset '" + datasetName + "' is not a source dataset of the catalog");
            return null;
        }
        if (dataset.isEmpty()) {
            return null;
        }
        Dataset d = dataset.get();
        String reference = column(doc, m, node, "reference", d, true).orElse("");
        String amount = column(doc, m, node, "amount", d, true).orElse("");
        Optional<String> fee = column(doc, m, node, "fee", d, false);
        String currency = column(doc, m, node, "currency", d, true).orElse("");
        String at = column(doc, m, node, "at", d, true).orElse("");
        Map<String, String> where = new TreeMap<>();
        if (m.containsKey("where")) {
            Map<String, Node> w = doc.mapping(m.get("where"), "where", d.columns().stream().map(c -> c.name())
                    .collect(java.util.stream.Collectors.toSet()));
            w.forEach((column, value) -> {
                String text = value instanceof ScalarNode s ? s.getValue() : "";
                if (!LITERAL.matcher(text).matches()) {
                    doc.error(value, "'where' values are plain texts (letters, digits, '_', '.', '-'), not '" + text + "'");
                }
                where.put(column, text);
            });
        }
        Optional<MatchRule.BelongsTo> belongsTo = m.containsKey("belongs_to")
                ? belongsTo(doc, m.get("belongs_to"), d) : Optional.empty();
        Optional<Attribute> processor = attribute(doc, m, "processor", d);
        Optional<Attribute> partner = attribute(doc, m, "partner", d);
        int minorUnits = m.containsKey("minor_units") ? (int) wholeNumber(doc, m.get("minor_units"), "minor_units") : 2;
        if (d.primaryKey().size() != 1) {
            doc.error(m.get("dataset"), "dataset '" + datasetName + "' has a composite key; a match side needs one id column");
        }
        if (errors.size() > before) {
            return null;
        }
        boolean decimal = d.amount() != null && d.amount().decimal() && d.amount().column().equals(amount);
        List<String> pci = d.pciColumns().stream().map(c -> c.name()).toList();
        return new Side(name, d.name(), "staging", d.name(), d.primaryKey().get(0), reference,
                d.primaryKey().equals(List.of(reference)), amount, decimal, minorUnits, fee, currency, at,
                d.businessDate(), Map.copyOf(where), processor, partner, pci, belongsTo);
    }

    /** {@code belongs_to: {dataset, column, to, where}}: every column checked against its dataset's contract. */
    private Optional<MatchRule.BelongsTo> belongsTo(YamlDocument doc, Node node, Dataset d) {
        int before = errors.size();
        Map<String, Node> b = doc.mapping(node, "belongs_to", BELONGS_KEYS);
        String otherName = doc.text(b, node, "dataset", "belongs_to");
        Optional<Dataset> other = catalog.datasets().filter(o -> o.name().equals(otherName)).findFirst();
        if (other.isEmpty()) {
            if (!otherName.isEmpty()) {
                doc.error(b.get("dataset"), "dataset '" + otherName + "' is not a source dataset of the catalog");
            }
            return Optional.empty();
        }
        String column = column(doc, b, node, "column", d, true).orElse("");
        String to = column(doc, b, node, "to", other.get(), true).orElse("");
        Map<String, String> where = new TreeMap<>();
        if (b.containsKey("where")) {
            Map<String, Node> w = doc.mapping(b.get("where"), "where", other.get().columns().stream().map(c -> c.name())
                    .collect(java.util.stream.Collectors.toSet()));
            w.forEach((c, value) -> {
                String text = value instanceof ScalarNode sc ? sc.getValue() : "";
                if (!LITERAL.matcher(text).matches()) {
                    doc.error(value, "'where' values are plain texts (letters, digits, '_', '.', '-'), not '" + text + "'");
                }
                where.put(c, text);
            });
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new MatchRule.BelongsTo("staging", other.get().name(), column, to, Map.copyOf(where)));
    }

    private Optional<String> column(YamlDocument doc, Map<String, Node> m, Node owner, String key, Dataset d,
                                    boolean required) {
        if (!m.containsKey(key)) {
            if (required) {
                doc.error(owner, "side is missing '" + key + "'");
            }
            return Optional.empty();
        }
        Optional<String> column = doc.optionalText(m, key);
        if (column.isPresent() && d.column(column.get()).isEmpty()) {
            doc.error(m.get(key), "column '" + column.get() + "' is not in the contract of '" + d.name() + "'");
            return Optional.empty();
        }
        return column;
    }

    private Optional<Attribute> attribute(YamlDocument doc, Map<String, Node> m, String key, Dataset d) {
        Node node = m.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof MappingNode) {
            Map<String, Node> a = doc.mapping(node, key, Set.of("column"));
            Optional<String> column = doc.optionalText(a, "column");
            if (column.isPresent() && d.column(column.get()).isEmpty()) {
                doc.error(a.get("column"), "column '" + column.get() + "' is not in the contract of '" + d.name() + "'");
                return Optional.empty();
            }
            return column.map(c -> new Attribute(Optional.of(c), Optional.empty()));
        }
        String literal = node instanceof ScalarNode s ? s.getValue() : "";
        if (!LITERAL.matcher(literal).matches()) {
            doc.error(node, "'" + key + "' is a plain name or {column: <name>}, not '" + literal + "'");
            return Optional.empty();
        }
        return Optional.of(new Attribute(Optional.empty(), Optional.of(literal)));
    }

    private Tolerance tolerance(YamlDocument doc, Map<String, Node> top, Node root) {
        Node node = top.get("tolerance");
        if (node == null) {
            doc.error(root, "match rule file is missing 'tolerance' (amount_minor, percent, window)");
            return new Tolerance(0, BigDecimal.ZERO, Duration.ZERO);
        }
        Map<String, Node> m = doc.mapping(node, "tolerance", TOLERANCE_KEYS);
        long amount = m.containsKey("amount_minor") ? wholeNumber(doc, m.get("amount_minor"), "amount_minor") : 0;
        BigDecimal percent = m.containsKey("percent") ? decimal(doc, m.get("percent"), "percent") : BigDecimal.ZERO;
        if (percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            doc.error(m.get("percent"), "'percent' is at most 100, not " + percent.toPlainString());
        }
        Duration window = duration(doc, m, node, "window");
        return new Tolerance(amount, percent, window);
    }

    private Optional<Fx> fx(YamlDocument doc, Node node) {
        Map<String, Node> m = doc.mapping(node, "fx", FX_KEYS);
        BigDecimal tolerance = m.containsKey("tolerance_percent")
                ? decimal(doc, m.get("tolerance_percent"), "tolerance_percent") : BigDecimal.ZERO;
        Map<String, BigDecimal> rates = new LinkedHashMap<>();
        Node ratesNode = m.get("rates");
        if (!(ratesNode instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
            doc.error(ratesNode == null ? node : ratesNode, "fx needs 'rates': a mapping of FROM/TO: rate");
            return Optional.empty();
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String pair = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (!CURRENCY_PAIR.matcher(pair).matches()) {
                doc.error(tuple.getKeyNode(), "an fx rate is keyed FROM/TO in ISO currency codes (USD/EUR), not '"
                        + pair + "'");
                continue;
            }
            BigDecimal rate = decimal(doc, tuple.getValueNode(), pair);
            if (rate.signum() <= 0) {
                doc.error(tuple.getValueNode(), "rate " + pair + " must be positive");
            }
            rates.put(pair, rate);
        }
        return Optional.of(new Fx(tolerance, Map.copyOf(rates)));
    }

    private Strategy strategy(YamlDocument doc, Node node, Side left, Side right) {
        if (node instanceof ScalarNode s) {
            StrategyType type = strategyType(doc, node, s.getValue());
            if (type == StrategyType.GROUPED_REFERENCE) {
                doc.error(node, "grouped_reference needs 'many' and 'group_reference'");
                return null;
            }
            return type == null ? null : Strategy.of(type);
        }
        Map<String, Node> m = doc.mapping(node, "strategy", STRATEGY_KEYS);
        String raw = doc.text(m, node, "type", "strategy");
        StrategyType type = strategyType(doc, m.get("type"), raw);
        if (type == null) {
            return null;
        }
        if (type != StrategyType.GROUPED_REFERENCE) {
            if (m.size() > 1) {
                doc.error(node, "only grouped_reference takes parameters");
            }
            return Strategy.of(type);
        }
        String many = doc.text(m, node, "many", "grouped_reference");
        Side manySide = many.equals("left") ? left : many.equals("right") ? right : null;
        if (!many.isEmpty() && !many.equals("left") && !many.equals("right")) {
            doc.error(m.get("many"), "'many' is left or right, not '" + many + "'");
        }
        boolean net = doc.bool(m, "net_of_fees", false);
        if (net && manySide != null && manySide.fee().isEmpty()) {
            doc.error(m.get("net_of_fees"), "net_of_fees needs a 'fee' column on the " + many + " side");
        }
        Node g = m.get("group_reference");
        if (g == null) {
            doc.error(node, "grouped_reference needs 'group_reference' (prefix, parts)");
            return null;
        }
        Map<String, Node> gm = doc.mapping(g, "group_reference", GROUP_KEYS);
        String prefix = doc.optionalText(gm, "prefix").orElse("");
        if (!prefix.isEmpty() && !LITERAL.matcher(prefix).matches()) {
            doc.error(gm.get("prefix"), "'prefix' is a plain text, not '" + prefix + "'");
        }
        List<String> parts = doc.textList(gm, g, "parts", "group_reference");
        if (manySide != null) {
            Dataset d = catalog.dataset(manySide.dataset());
            for (String part : parts) {
                if (d.column(part).isEmpty()) {
                    doc.error(gm.get("parts"), "column '" + part + "' is not in the contract of '" + d.name() + "'");
                }
            }
        }
        return new Strategy(type, Optional.of(many), net, prefix, List.copyOf(parts));
    }

    private static StrategyType strategyType(YamlDocument doc, Node node, String raw) {
        String normalised = raw.trim().toUpperCase(java.util.Locale.ROOT).replace("NORMALIZED", "NORMALISED");
        for (StrategyType type : StrategyType.values()) {
            if (type.name().equals(normalised)) {
                return type;
            }
        }
        doc.error(node, "strategy must be one of exact_reference, grouped_reference, amount_and_date, "
                + "normalised_reference, not '" + raw + "'");
        return null;
    }

    private static Duration duration(YamlDocument doc, Map<String, Node> m, Node owner, String key) {
        Node node = m.get(key);
        if (node == null) {
            return Duration.ZERO;
        }
        String raw = node instanceof ScalarNode s ? s.getValue() : "";
        try {
            Duration d = Duration.parse(raw);
            if (d.isNegative()) {
                doc.error(node, "'" + key + "' must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            doc.error(node, "'" + key + "' must be an ISO-8601 duration such as PT10M or P1D, not '" + raw + "'");
            return Duration.ZERO;
        }
    }

    private static long wholeNumber(YamlDocument doc, Node node, String key) {
        String raw = node instanceof ScalarNode s ? s.getValue() : "";
        try {
            long value = Long.parseLong(raw.replace("_", ""));
            if (value < 0) {
                doc.error(node, "'" + key + "' must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            doc.error(node, "'" + key + "' must be a whole number (minor units), not '" + raw + "'");
            return 0;
        }
    }

    private static BigDecimal decimal(YamlDocument doc, Node node, String key) {
        String raw = node instanceof ScalarNode s ? s.getValue() : "";
        try {
            BigDecimal value = new BigDecimal(raw);
            if (value.signum() < 0) {
                doc.error(node, "'" + key + "' must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            doc.error(node, "'" + key + "' must be a decimal number, not '" + raw + "'");
            return BigDecimal.ZERO;
        }
    }
}
