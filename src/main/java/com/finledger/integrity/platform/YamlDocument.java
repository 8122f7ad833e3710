package com.finledger.integrity.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a declarative YAML file (catalog, rules) as a node tree that remembers line numbers, and
 * collects problems as {@code file:line: what is wrong} instead of failing on the first one.
 */
public final class YamlDocument {

    private final String fileName;
    private final List<String> errors;

    public YamlDocument(String fileName, List<String> errors) {
        this.fileName = fileName;
        this.errors = errors;
    }

    /** Parses a file; a syntax error is recorded and empty is returned. */
    public static Optional<Node> parse(Path file, String fileName, List<String> errors) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                errors.add(fileName + ":1: file is empty");
            }
            return Optional.ofNullable(root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            String context = "";
            if (e.getContext() != null && e.getContextMark() != null && e.getContextMark().getLine() + 1 != line) {
                context = " (" + e.getContext() + " started at line " + (e.getContextMark().getLine() + 1) + ")";
            }
            errors.add(fileName + ":" + line + ": invalid YAML: " + e.getProblem() + context);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            errors.add(fileName + ":1: cannot read: " + e.getMessage());
            return Optional.empty();
        }
    }

    public String fileName() {
        return fileName;
    }

    public void error(Node at, String message) {
        errors.add(fileName + ":" + line(at) + ": " + message);
    }

    public static int line(Node node) {
        return node == null || node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** A mapping's entries by key; non-mappings are reported and give an empty map. */
    public Map<String, Node> mapping(Node node, String what, Set<String> allowedKeys) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            error(node, what + " must be a mapping");
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (!allowedKeys.contains(key)) {
                error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + " (allowed: "
                        + String.join(", ", allowedKeys.stream().sorted().toList()) + ")");
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    public List<Node> sequence(Map<String, Node> map, Node owner, String key, String what) {
        Node node = map.get(key);
        if (node == null) {
            error(owner, what + " is missing '" + key + "'");
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            error(node, "'" + key + "' of " + what + " must be a list");
            return List.of();
        }
        return seq.getValue();
    }

    public Optional<String> optionalText(Map<String, Node> map, String key) {
        Node node = map.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            error(node, "'" + key + "' must be a non-empty text");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue());
    }

    public String text(Map<String, Node> map, Node owner, String key, String what) {
        if (!map.containsKey(key)) {
            error(owner, what + " is missing '" + key + "'");
            return "";
        }
        return optionalText(map, key).orElse("");
    }

    public boolean bool(Map<String, Node> map, String key, boolean fallback) {
        Node node = map.get(key);
        if (node == null) {
            return fallback;
        }
        String value = node instanceof ScalarNode s ? s.getValue() : "";
        if (!value.equals("true") && !value.equals("false")) {
            error(node, "'" + key + "' must be true or false, not '" + value + "'");
            return fallback;
        }
        return Boolean.parseBoolean(value);
    }

    public List<String> textList(Map<String, Node> map, Node owner, String key, String what) {
        List<String> values = new ArrayList<>();
        for (Node item : sequence(map, owner, key, what)) {
            if (item instanceof ScalarNode s && !s.getValue().isBlank()) {
                values.add(s.getValue());
            } else {
                error(item, "items of '" + key + "' must be names");
            }
        }
        if (values.isEmpty() && map.containsKey(key)) {
            error(map.get(key), "'" + key + "' of " + what + " must not be empty");
        }
        return values;
    }

    public Duration duration(Map<String, Node> map, Node owner, String key, String what) {
        String raw = text(map, owner, key, what);
        if (raw.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(raw);
            if (d.isNegative() || d.isZero()) {
                error(map.get(key), "'" + key + "' must be a positive duration, not " + raw);
            }
            return d;
        } catch (DateTimeParseException e) {
            error(map.get(key), "'" + key + "' must be an ISO-8601 duration such as PT10M, not '" + raw + "'");
            return Duration.ZERO;
        }
    }

    public <E extends Enum<E>> E enumValue(Map<String, Node> map, Node owner, String key, Class<E> type, String what) {
        String raw = text(map, owner, key, what);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw)) {
                return constant;
            }
        }
        if (!raw.isEmpty()) {
            error(map.get(key), "'" + key + "' must be one of "
                    + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase()).toList()) + ", not '" + raw + "'");
        }
        return null;
    }
}
