package com.finledger.integrity.rules;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.platform.YamlDocument;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.rules.Rule.Severity;
import com.finledger.integrity.rules.Rule.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code rules/*.yaml} against the catalog. Every problem is reported as
 * {@code file:line: what is wrong}; a rule set with any problem is rejected whole.
 */
public final class RuleSetLoader {

    private static final Set<String> FILE_KEYS = Set.of("dataset", "owner", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "type", "severity", "owner", "description", "layer",
            "column", "columns", "values", "min", "max", "to", "max_change_pct", "sql");

    public record Result(List<Rule> rules, List<String> errors) {
    }

    private final Catalog catalog;
    private final List<String> errors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private RuleSetLoader(Catalog catalog) {
        this.catalog = catalog;
    }

    public static Result load(Path dir, Catalog catalog) {
        RuleSetLoader loader = new RuleSetLoader(catalog);
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                rules.addAll(loader.readFile(file, file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(loader.errors.isEmpty() ? rules : List.of(), List.copyOf(loader.errors));
    }

    private List<Rule> readFile(Path file, String fileName) {
        YamlDocument doc = new YamlDocument(fileName, errors);
        Optional<Node> root = YamlDocument.parse(file, fileName, errors);
        if (root.isEmpty()) {
            return List.of();
        }
        Map<String, Node> top = doc.mapping(root.get(), "rules file", FILE_KEYS);
        String datasetName = doc.text(top, root.get(), "dataset", "rules file");
        Optional<Dataset> dataset = catalog.datasets().filter(d -> d.name().equals(datasetName)).findFirst();
        Optional<CuratedDataset> curated = catalog.curated().stream().filter(c -> c.name().equals(datasetName))
                .findFirst();
        if (!datasetName.isEmpty() && dataset.isEmpty() && curated.isEmpty()) {
            doc.error(top.get("dataset"), "dataset '" + datasetName + "' is not in the catalog");
            return List.of();
        }
        if (!fileName.equals(datasetName + ".yaml")) {
            doc.error(root.get(), "rules for '" + datasetName + "' belong in " + datasetName + ".yaml");
        }
        String owner = doc.text(top, root.get(), "owner", "rules file");
        List<Rule> rules = new ArrayList<>();
        for (Node item : doc.sequence(top, root.get(), "rules", "rules file")) {
            Rule rule = readRule(doc, item, datasetName, owner, dataset, curated);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private Rule readRule(YamlDocument doc, Node node, String datasetName, String fileOwner, Optional<Dataset> dataset,
                          Optional<CuratedDataset> curated) {
        Map<String, Node> m = doc.mapping(node, "rule", RULE_KEYS);
        String name = doc.text(m, node, "name", "rule");
        if (!name.isEmpty() && !names.add(name)) {
            doc.error(m.get("name"), "rule name '" + name + "' is used twice");
        }
        Type type = doc.enumValue(m, node, "type", Type.class, "rule");
        Severity severity = doc.enumValue(m, node, "severity", Severity.class, "rule");
        String description = doc.text(m, node, "description", "rule");
        String owner = doc.optionalText(m, "owner").orElse(fileOwner);
        Layer layer = Layer.STAGING;
        if (m.containsKey("layer")) {
            layer = doc.enumValue(m, node, "layer", Layer.class, "rule");
        } else if (type == Type.SCHEMA) {
            layer = Layer.RAW;
        } else if (curated.isPresent()) {
            layer = Layer.CURATED;
        }
        if (layer == null || type == null || severity == null) {
            return null;
        }
        if (curated.isPresent() && layer != Layer.CURATED) {
            doc.error(node, "rules on curated dataset '" + datasetName + "' run on layer curated");
        }
        if (dataset.isPresent() && layer == Layer.CURATED) {
            doc.error(m.get("layer"), "'" + datasetName + "' is not a curated dataset");
        }
        List<String> columns = new ArrayList<>();
        doc.optionalText(m, "column").ifPresent(columns::add);
        if (m.containsKey("columns")) {
            columns.addAll(doc.textList(m, node, "columns", "rule"));
        }
        Set<String> known = new HashSet<>();
        dataset.ifPresent(d -> d.columns().forEach(c -> known.add(c.name())));
        if (layer == Layer.RAW) {
            known.add(Catalog.LANDING_CHANGE_SEQUENCE);
        }
        boolean needsColumns = switch (type) {
            case NOT_NULL, ACCEPTED_VALUES, RANGE, RELATIONSHIPS -> true;
            default -> false;
        };
        if (needsColumns && columns.isEmpty()) {
            doc.error(node, type.name().toLowerCase() + " rule '" + name + "' needs 'column'");
        }
        if (dataset.isPresent()) {
            for (String column : columns) {
                if (!known.contains(column)) {
                    doc.error(m.containsKey("column") ? m.get("column") : m.get("columns"),
                            "column '" + column + "' is not in the contract of '" + datasetName + "'");
                }
            }
        }
        if (type == Type.UNIQUE && columns.isEmpty()) {
            dataset.ifPresent(d -> columns.addAll(d.primaryKey()));
            curated.ifPresent(c -> columns.addAll(c.primaryKey()));
        }
        List<String> values = m.containsKey("values") ? doc.textList(m, node, "values", "rule") : List.of();
        if (type == Type.ACCEPTED_VALUES && values.isEmpty()) {
            doc.error(node, "accepted_values rule '" + name + "' needs 'values'");
        }
        Optional<BigDecimal> min = number(doc, m, "min");
        Optional<BigDecimal> max = number(doc, m, "max");
        if (type == Type.RANGE && min.isEmpty() && max.isEmpty()) {
            doc.error(node, "range rule '" + name + "' needs 'min' or 'max'");
        }
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            doc.error(m.get("min"), "min " + min.get() + " is above max " + max.get());
        }
        Optional<String> to = doc.optionalText(m, "to");
        if (type == Type.RELATIONSHIPS) {
            checkReference(doc, m, node, to);
        }
        Optional<String> sql = doc.optionalText(m, "sql");
        if (type == Type.CUSTOM_SQL) {
            if (sql.isEmpty()) {
                doc.error(node, "custom_sql rule '" + name + "' needs 'sql'");
            } else if (!sql.get().contains(":business_date")) {
                doc.error(m.get("sql"), "custom_sql must filter on :business_date (the partition)");
            } else if (!sql.get().toLowerCase().contains("row_key")) {
                doc.error(m.get("sql"), "custom_sql must return the failing rows with a 'row_key' column");
            } else if (sql.get().strip().endsWith(";")) {
                doc.error(m.get("sql"), "custom_sql is one select statement, without a trailing ';'");
            }
        }
        Optional<BigDecimal> maxChange = number(doc, m, "max_change_pct");
        if (type == Type.SCHEMA && layer != Layer.RAW) {
            doc.error(node, "schema rules check landed records: layer raw");
        }
        return new Rule(name, datasetName, type, severity, owner, description, layer, List.copyOf(columns), values,
                min, max, to, maxChange, sql, doc.fileName(), YamlDocument.line(node));
    }

    private void checkReference(YamlDocument doc, Map<String, Node> m, Node node, Optional<String> to) {
        if (to.isEmpty()) {
            doc.error(node, "relationships rule needs 'to: <dataset>.<column>'");
            return;
        }
        String[] parts = to.get().split("\\.");
        Optional<Dataset> parent = parts.length == 2
                ? catalog.datasets().filter(d -> d.name().equals(parts[0])).findFirst() : Optional.empty();
        if (parent.isEmpty()) {
            doc.error(m.get("to"), "'to' must name a source dataset and column as <dataset>.<column>, not '"
                    + to.get() + "'");
        } else if (parent.get().column(parts[1]).isEmpty()) {
            doc.error(m.get("to"), "column '" + parts[1] + "' is not in the contract of '" + parts[0] + "'");
        }
    }

    private static Optional<BigDecimal> number(YamlDocument doc, Map<String, Node> m, String key) {
        Node node = m.get(key);
        if (node == null) {
            return Optional.empty();
        }
        String raw = node instanceof ScalarNode s ? s.getValue() : "";
        try {
            return Optional.of(new BigDecimal(raw));
        } catch (NumberFormatException e) {
            doc.error(node, "'" + key + "' must be a number, not '" + raw + "'");
            return Optional.empty();
        }
    }
}
