package com.finledger.integrity.alerts;

import com.finledger.integrity.platform.YamlDocument;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The alert rules from {@code <rules dir>/alerts/*.yaml}, validated with {@code file:line} errors. A reload
 * that finds errors keeps the last valid set (and says why); the first load with errors has no rules.
 */
@ApplicationScoped
public class AlertRules {

    private static final Logger LOG = Logger.getLogger(AlertRules.class);
    private static final Set<String> RULE_KEYS = Set.of("name", "kind", "severity", "summary", "renotify", "group_by",
            "retries");

    @ConfigProperty(name = "finledger.alerts.rules-dir", defaultValue = "rules/alerts")
    String dir;

    public record Loaded(List<AlertRule> rules, List<String> errors) {
    }

    private volatile List<AlertRule> current;
    private volatile List<String> lastErrors = List.of();

    public List<AlertRule> rules() {
        if (current == null) {
            reload();
        }
        return current == null ? List.of() : current;
    }

    public List<String> lastErrors() {
        return lastErrors;
    }

    /** Re-reads the directory; keeps the previous rules when the new set has errors. */
    public Loaded reload() {
        return reload(Path.of(dir));
    }

    /** Re-reads {@code directory}; keeps the previous rules when the new set has errors. */
    public synchronized Loaded reload(Path directory) {
        Loaded loaded = load(directory);
        lastErrors = loaded.errors();
        if (loaded.errors().isEmpty()) {
            current = loaded.rules();
        } else {
            LOG.errorf("alert rules in %s have errors; keeping the last valid set (%d rules): %s", directory,
                    current == null ? 0 : current.size(), String.join("; ", loaded.errors()));
            if (current == null) {
                current = List.of();
            }
        }
        return loaded;
    }

    public static Loaded load(Path directory) {
        List<String> errors = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return new Loaded(List.of(), List.of(directory + ":1: no such directory"));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            return new Loaded(List.of(), List.of(directory + ":1: cannot list: " + e.getMessage()));
        }
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            String fileName = directory.resolve(file.getFileName()).toString();
            YamlDocument doc = new YamlDocument(fileName, errors);
            YamlDocument.parse(file, fileName, errors).ifPresent(root -> {
                Map<String, Node> top = doc.mapping(root, "alert rule file", Set.of("alerts"));
                for (Node node : doc.sequence(top, root, "alerts", "alert rule file")) {
                    Map<String, Node> m = doc.mapping(node, "alert rule", RULE_KEYS);
                    String name = doc.text(m, node, "name", "alert rule");
                    if (!name.isEmpty() && !names.add(name)) {
                        doc.error(m.get("name"), "alert rule '" + name + "' is declared twice");
                    }
                    String kindText = doc.text(m, node, "kind", "alert rule");
                    AlertKind kind = kindText.isEmpty() ? null : AlertKind.ofSlug(kindText).orElse(null);
                    if (!kindText.isEmpty() && kind == null) {
                        doc.error(m.get("kind"), "unknown alert kind '" + kindText + "'; one of "
                                + Stream.of(AlertKind.values()).map(AlertKind::slug).toList());
                    }
                    AlertRule.Severity severity = doc.enumValue(m, node, "severity", AlertRule.Severity.class,
                            "alert rule");
                    String summary = doc.optionalText(m, "summary").orElse(kindText.replace('-', ' '));
                    Duration renotify = m.containsKey("renotify") ? doc.duration(m, node, "renotify", "alert rule")
                            : Duration.ofHours(4);
                    if (renotify != null && renotify.compareTo(Duration.ofMinutes(1)) < 0) {
                        doc.error(m.get("renotify"), "renotify must be at least PT1M");
                    }
                    AlertRule.GroupBy groupBy = m.containsKey("group_by")
                            ? doc.enumValue(m, node, "group_by", AlertRule.GroupBy.class, "alert rule")
                            : AlertRule.GroupBy.RULE;
                    int retries = 0;
                    if (m.containsKey("retries")) {
                        String text = doc.optionalText(m, "retries").orElse("");
                        try {
                            retries = Integer.parseInt(text);
                            if (retries < 0) {
                                throw new NumberFormatException();
                            }
                        } catch (NumberFormatException e) {
                            doc.error(m.get("retries"), "retries must be a whole number >= 0, not '" + text + "'");
                        }
                    }
                    if (name != null && kind != null && severity != null && renotify != null && groupBy != null) {
                        rules.add(new AlertRule(name, kind, severity, summary, renotify, groupBy, retries, fileName,
                                YamlDocument.line(node)));
                    }
                }
            });
        }
        return new Loaded(errors.isEmpty() ? List.copyOf(rules) : List.of(), List.copyOf(errors));
    }
}
