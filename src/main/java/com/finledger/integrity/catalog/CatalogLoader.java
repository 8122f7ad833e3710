package com.finledger.integrity.catalog;

import com.finledger.integrity.catalog.Catalog.Amount;
import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Layer;
import com.finledger.integrity.catalog.Catalog.PartitionKind;
import com.finledger.integrity.catalog.Catalog.Partitioning;
import com.finledger.integrity.catalog.Catalog.PartnerDrop;
import com.finledger.integrity.catalog.Catalog.SlaClass;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.platform.YamlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads {@code ingestion-config/} (layers.yaml, sources/*.yaml, curated.yaml) and checks it as a
 * whole. All problems are reported together, each as {@code file:line: what is wrong}.
 */
public final class CatalogLoader {

    static final List<String> REQUIRED_LAYERS = List.of("landing", "raw", "staging", "curated");
    static final Duration OPS_SLA_LIMIT = Duration.ofMinutes(10);
    static final Duration FINANCE_SLA_LIMIT = Duration.ofHours(2);
    private static final Pattern TYPE = Pattern.compile(
            "string|bigint|integer|boolean|date|timestamp|decimal\\((\\d{1,2}),(\\d{1,2})\\)");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final List<String> errors = new ArrayList<>();

    public static Catalog load(Path root) {
        return new CatalogLoader().read(root);
    }

    private Catalog read(Path root) {
        List<Layer> layers = readLayers(root);
        List<Source> sources = new ArrayList<>();
        Path sourcesDir = root.resolve("sources");
        if (!Files.isDirectory(sourcesDir)) {
            errors.add("sources/:1: folder is missing: declare each source in sources/<source>.yaml");
        } else {
            for (Path file : yamlFiles(sourcesDir)) {
                readSource(file, "sources/" + file.getFileName()).ifPresent(sources::add);
            }
        }
        List<CuratedDataset> curated = readCurated(root, sources);
        checkUniqueNames(sources);
        if (!errors.isEmpty()) {
            throw new CatalogException(errors);
        }
        return new Catalog(layers, sources, curated);
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Layer> readLayers(Path root) {
        List<Layer> layers = new ArrayList<>();
        Path file = root.resolve("layers.yaml");
        if (!Files.exists(file)) {
            errors.add("layers.yaml:1: file is missing");
            return layers;
        }
        YamlDocument doc = new YamlDocument("layers.yaml", errors);
        YamlDocument.parse(file, doc.fileName(), errors).ifPresent(rootNode -> {
            Map<String, Node> top = doc.mapping(rootNode, "layers file", Set.of("layers"));
            for (Node item : doc.sequence(top, rootNode, "layers", "layers file")) {
                Map<String, Node> m = doc.mapping(item, "layer", Set.of("name", "description", "storage", "location"));
                String storage = doc.text(m, item, "storage", "layer");
                if (!storage.isEmpty() && !storage.equals("object_store") && !storage.equals("warehouse")) {
                    doc.error(m.get("storage"), "'storage' must be object_store or warehouse, not '" + storage + "'");
                }
                layers.add(new Layer(doc.text(m, item, "name", "layer"), doc.text(m, item, "description", "layer"),
                        storage, doc.text(m, item, "location", "layer")));
            }
            List<String> names = layers.stream().map(Layer::name).toList();
            if (!names.equals(REQUIRED_LAYERS)) {
                doc.error(rootNode, "layers must be exactly " + REQUIRED_LAYERS + " in that order, found " + names);
            }
        });
        return layers;
    }

    private Optional<Source> readSource(Path file, String fileName) {
        YamlDocument doc = new YamlDocument(fileName, errors);
        Optional<Node> parsed = YamlDocument.parse(file, fileName, errors);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Node rootNode = parsed.get();
        Map<String, Node> m = doc.mapping(rootNode, "source",
                Set.of("source", "kind", "description", "owner", "connection", "datasets"));
        String name = doc.text(m, rootNode, "source", "source");
        checkName(doc, m.get("source"), name);
        SourceKind kind = doc.enumValue(m, rootNode, "kind", SourceKind.class, "source");
        Node connectionNode = m.get("connection");
        String schema = "";
        Optional<String> endpoint = Optional.empty();
        Optional<String> dmsTask = Optional.empty();
        Optional<String> database = Optional.empty();
        Optional<PartnerDrop> drop = Optional.empty();
        if (connectionNode == null) {
            doc.error(rootNode, "source is missing 'connection'");
        } else {
            Map<String, Node> c = doc.mapping(connectionNode, "connection", Set.of("schema", "endpoint", "page_size",
                    "dms_task", "database", "drop_prefix", "file_pattern", "delimiter", "encoding", "cutoff", "time_zone",
                    "trailer_marker", "max_line_bytes", "business_days", "holidays"));
            if (kind == SourceKind.PARTNER_FILES) {
                drop = Optional.of(readPartnerDrop(doc, c, connectionNode));
                schema = "";
            } else {
                schema = doc.text(c, connectionNode, "schema", "connection");
                checkName(doc, c.get("schema"), schema);
            }
            if (kind == SourceKind.REST_API) {
                endpoint = Optional.of(doc.text(c, connectionNode, "endpoint", "connection of a rest_api source"));
            }
            if (kind == SourceKind.POSTGRES_CDC) {
                dmsTask = Optional.of(doc.text(c, connectionNode, "dms_task", "connection of a postgres_cdc source"));
                // names the read replica's settings (finledger.source-databases.<database>.*), never its secrets
                database = Optional.of(doc.text(c, connectionNode, "database", "connection of a postgres_cdc source"));
            }
        }
        List<Dataset> datasets = new ArrayList<>();
        for (Node item : doc.sequence(m, rootNode, "datasets", "source")) {
            datasets.add(readDataset(doc, item, name, kind));
        }
        return Optional.of(new Source(name, kind, doc.text(m, rootNode, "description", "source"),
                doc.text(m, rootNode, "owner", "source"), schema, endpoint, dmsTask, database, drop, datasets));
    }

    private PartnerDrop readPartnerDrop(YamlDocument doc, Map<String, Node> c, Node at) {
        String pattern = doc.text(c, at, "file_pattern", "connection of a partner_files source");
        if (!pattern.isEmpty()) {
            if (!pattern.contains("{business_date:yyyyMMdd}")) {
                doc.error(c.get("file_pattern"), "'file_pattern' must contain {business_date:yyyyMMdd}");
            }
            try {
                Pattern.compile(pattern.replace("{business_date:yyyyMMdd}", "\\d{8}"));
            } catch (PatternSyntaxException e) {
                doc.error(c.get("file_pattern"), "'file_pattern' is not a valid pattern: " + e.getDescription());
            }
        }
        String cutoff = doc.text(c, at, "cutoff", "connection of a partner_files source");
        try {
            if (!cutoff.isEmpty()) {
                LocalTime.parse(cutoff);
            }
        } catch (RuntimeException e) {
            doc.error(c.get("cutoff"), "'cutoff' must be a time such as 08:00, not '" + cutoff + "'");
        }
        String zone = doc.text(c, at, "time_zone", "connection of a partner_files source");
        try {
            if (!zone.isEmpty()) {
                ZoneId.of(zone);
            }
        } catch (RuntimeException e) {
            doc.error(c.get("time_zone"), "'time_zone' is not a known time zone: '" + zone + "'");
        }
        String delimiter = doc.text(c, at, "delimiter", "connection of a partner_files source");
        if (delimiter.length() > 1) {
            doc.error(c.get("delimiter"), "'delimiter' must be one character");
        }
        String encoding = doc.optionalText(c, "encoding").orElse("UTF-8");
        if (!java.nio.charset.Charset.isSupported(encoding)) {
            doc.error(c.get("encoding"), "'encoding' is not a known character set: '" + encoding + "'");
            encoding = "UTF-8";
        }
        int maxLineBytes = 65_536;
        Optional<String> maxLine = doc.optionalText(c, "max_line_bytes");
        if (maxLine.isPresent()) {
            try {
                maxLineBytes = Integer.parseInt(maxLine.get());
            } catch (NumberFormatException e) {
                doc.error(c.get("max_line_bytes"), "'max_line_bytes' must be a whole number");
            }
        }
        Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        if (c.containsKey("business_days")) {
            for (Node day : doc.sequence(c, at, "business_days", "connection")) {
                String text = day instanceof org.yaml.snakeyaml.nodes.ScalarNode sn ? sn.getValue() : "";
                java.util.Arrays.stream(java.time.DayOfWeek.values())
                        .filter(d -> d.name().startsWith(text.toUpperCase()) && text.length() >= 3).findFirst()
                        .ifPresentOrElse(days::add, () -> doc.error(day, "'" + text + "' is not a day of the week "
                                + "(MON, TUE, WED, THU, FRI, SAT, SUN)"));
            }
        } else {
            days.addAll(java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY));
        }
        Set<java.time.LocalDate> holidays = new java.util.TreeSet<>();
        if (c.containsKey("holidays")) {
            for (Node day : doc.sequence(c, at, "holidays", "connection")) {
                String text = day instanceof org.yaml.snakeyaml.nodes.ScalarNode sn ? sn.getValue() : "";
                try {
                    holidays.add(java.time.LocalDate.parse(text));
                } catch (RuntimeException e) {
                    doc.error(day, "holiday '" + text + "' is not a date such as 2026-12-25");
                }
            }
        }
        return new PartnerDrop(doc.text(c, at, "drop_prefix", "connection of a partner_files source"), pattern,
                delimiter, encoding, cutoff, zone, doc.optionalText(c, "trailer_marker"), maxLineBytes, days,
                holidays);
    }

    private Dataset readDataset(YamlDocument doc, Node node, String source, SourceKind kind) {
        Map<String, Node> m = doc.mapping(node, "dataset", Set.of("name", "table", "grain", "sla_class", "freshness",
                "partitioning", "primary_key", "change_sequence", "amount", "business_date", "columns"));
        String name = doc.text(m, node, "name", "dataset");
        checkName(doc, m.get("name"), name);
        String table = doc.text(m, node, "table", "dataset");
        checkName(doc, m.get("table"), table);
        SlaClass sla = doc.enumValue(m, node, "sla_class", SlaClass.class, "dataset");
        Duration freshness = doc.duration(m, node, "freshness", "dataset");
        checkSla(doc, m.get("freshness"), sla, freshness);

        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node c : doc.sequence(m, node, "columns", "dataset")) {
            Map<String, Node> cm = doc.mapping(c, "column", Set.of("name", "type", "nullable", "pci"));
            String cname = doc.text(cm, c, "name", "column");
            checkName(doc, cm.get("name"), cname);
            if (!seen.add(cname)) {
                doc.error(c, "column '" + cname + "' is declared twice");
            }
            String type = doc.text(cm, c, "type", "column");
            if (!type.isEmpty() && !TYPE.matcher(type).matches()) {
                doc.error(cm.get("type"), "unknown type '" + type
                        + "' (use string, bigint, integer, boolean, date, timestamp or decimal(p,s))");
            }
            columns.add(new Column(cname, type, doc.bool(cm, "nullable", true), doc.bool(cm, "pci", false)));
        }
        Map<String, String> types = new HashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        Partitioning partitioning = readPartitioning(doc, m, node, types);

        List<String> pk = doc.textList(m, node, "primary_key", "dataset");
        for (String k : pk) {
            if (!types.containsKey(k)) {
                doc.error(m.get("primary_key"), "primary key column '" + k + "' is not a declared column");
            } else if (columns.stream().anyMatch(c -> c.name().equals(k) && c.nullable())) {
                doc.error(m.get("primary_key"), "primary key column '" + k + "' must be nullable: false");
            }
        }
        String changeSeq = doc.text(m, node, "change_sequence", "dataset");
        if (!changeSeq.isEmpty()) {
            boolean landingColumn = changeSeq.equals(Catalog.LANDING_CHANGE_SEQUENCE);
            if (landingColumn && kind == SourceKind.REST_API) {
                doc.error(m.get("change_sequence"), "a rest_api dataset must use one of its own timestamp or "
                        + "bigint columns as change_sequence, not " + Catalog.LANDING_CHANGE_SEQUENCE);
            } else if (!landingColumn && kind != SourceKind.REST_API) {
                doc.error(m.get("change_sequence"), "change_sequence of a " + kind.name().toLowerCase()
                        + " dataset is the landing sequence " + Catalog.LANDING_CHANGE_SEQUENCE + ", not '"
                        + changeSeq + "'");
            } else if (!landingColumn && !List.of("timestamp", "bigint", "integer").contains(types.get(changeSeq))) {
                doc.error(m.get("change_sequence"), "change_sequence '" + changeSeq
                        + "' must be a declared timestamp or bigint column");
            }
        }
        Amount amount = readAmount(doc, m, node, types);
        String businessDate = doc.text(m, node, "business_date", "dataset");
        if (!businessDate.isEmpty() && !"date".equals(types.get(businessDate))) {
            doc.error(m.get("business_date"), "business_date '" + businessDate + "' must be a declared date column");
        }
        return new Dataset(name, source, table, doc.text(m, node, "grain", "dataset"), sla, freshness, partitioning,
                pk, changeSeq, amount, businessDate, columns);
    }

    private Amount readAmount(YamlDocument doc, Map<String, Node> m, Node owner, Map<String, String> types) {
        Node node = m.get("amount");
        if (node == null) {
            doc.error(owner, "dataset is missing 'amount'");
            return new Amount("", "", false);
        }
        Map<String, Node> am = doc.mapping(node, "amount", Set.of("column", "currency_column", "decimal"));
        String column = doc.text(am, node, "column", "amount");
        String currency = doc.text(am, node, "currency_column", "amount");
        boolean decimal = doc.bool(am, "decimal", false);
        if (types != null) {
            String type = types.get(column);
            if (type == null) {
                doc.error(am.get("column"), "amount column '" + column + "' is not a declared column");
            } else if (decimal ? !type.startsWith("decimal(") : !type.equals("bigint")) {
                doc.error(am.get("column"), decimal
                        ? "amount column '" + column + "' is marked decimal but has type " + type
                        : "amount column '" + column + "' must be bigint minor units (or set decimal: true), not "
                        + type);
            }
            if (!"string".equals(types.get(currency))) {
                doc.error(am.get("currency_column"), "currency column '" + currency
                        + "' must be a declared string column");
            }
        }
        return new Amount(column, currency, decimal);
    }

    private Partitioning readPartitioning(YamlDocument doc, Map<String, Node> m, Node owner,
                                          Map<String, String> types) {
        Node node = m.get("partitioning");
        if (node == null) {
            doc.error(owner, "dataset is missing 'partitioning'");
            return new Partitioning(PartitionKind.BUSINESS_DATE, Optional.empty(), Optional.empty());
        }
        Map<String, Node> pm = doc.mapping(node, "partitioning", Set.of("kind", "window", "time_column"));
        PartitionKind kind = doc.enumValue(pm, node, "kind", PartitionKind.class, "partitioning");
        Optional<Duration> window = Optional.empty();
        Optional<String> timeColumn = Optional.empty();
        if (kind == PartitionKind.MICRO_BATCH) {
            Duration w = doc.duration(pm, node, "window", "micro_batch partitioning");
            if (!w.isZero() && (w.toSeconds() % 60 != 0 || Duration.ofDays(1).toMinutes() % Math.max(1, w.toMinutes()) != 0)) {
                doc.error(pm.get("window"), "micro-batch window must be whole minutes that divide a day evenly, not " + w);
            }
            window = Optional.of(w);
            String column = doc.text(pm, node, "time_column", "micro_batch partitioning");
            if (!column.isEmpty() && types != null && !"timestamp".equals(types.get(column))) {
                doc.error(pm.get("time_column"), "time_column '" + column + "' must be a declared timestamp column");
            }
            timeColumn = column.isEmpty() ? Optional.empty() : Optional.of(column);
        } else {
            for (String key : List.of("window", "time_column")) {
                if (pm.containsKey(key)) {
                    doc.error(pm.get(key), "'" + key + "' applies only to micro_batch partitioning");
                }
            }
        }
        return new Partitioning(kind, window, timeColumn);
    }

    private void checkSla(YamlDocument doc, Node at, SlaClass sla, Duration freshness) {
        if (sla == null || freshness.isZero()) {
            return;
        }
        Duration limit = sla == SlaClass.OPS ? OPS_SLA_LIMIT : FINANCE_SLA_LIMIT;
        if (freshness.compareTo(limit) > 0) {
            doc.error(at, "freshness " + freshness + " is looser than the " + sla.name().toLowerCase()
                    + " SLA of " + limit);
        }
    }

    private List<CuratedDataset> readCurated(Path root, List<Source> sources) {
        List<CuratedDataset> curated = new ArrayList<>();
        // A curated dataset may build on source datasets and on curated datasets declared above it,
        // so the file order is also the build order.
        Set<String> buildable = new HashSet<>();
        sources.forEach(s -> s.datasets().forEach(d -> buildable.add(d.name())));
        Path file = root.resolve("curated.yaml");
        if (!Files.exists(file)) {
            errors.add("curated.yaml:1: file is missing");
            return curated;
        }
        YamlDocument doc = new YamlDocument("curated.yaml", errors);
        YamlDocument.parse(file, doc.fileName(), errors).ifPresent(rootNode -> {
            Map<String, Node> top = doc.mapping(rootNode, "curated file", Set.of("curated"));
            for (Node item : doc.sequence(top, rootNode, "curated", "curated file")) {
                Map<String, Node> m = doc.mapping(item, "curated dataset", Set.of("name", "grain", "sla_class",
                        "freshness", "built_from", "rows_from", "primary_key", "amount", "business_date",
                        "partitioning"));
                String name = doc.text(m, item, "name", "curated dataset");
                checkName(doc, m.get("name"), name);
                if (buildable.contains(name) && sources.stream().flatMap(s -> s.datasets().stream())
                        .anyMatch(d -> d.name().equals(name))) {
                    doc.error(m.get("name"), "curated dataset '" + name + "' has the name of a source dataset; "
                            + "readiness, rules and tables are keyed by dataset name");
                }
                SlaClass sla = doc.enumValue(m, item, "sla_class", SlaClass.class, "curated dataset");
                Duration freshness = doc.duration(m, item, "freshness", "curated dataset");
                checkSla(doc, m.get("freshness"), sla, freshness);
                Path model = root.resolve("models/curated/" + name + ".sql");
                if (!name.isEmpty() && !Files.exists(model)) {
                    doc.error(item, "curated dataset '" + name + "' has no model at models/curated/" + name + ".sql");
                }
                List<String> builtFrom = doc.textList(m, item, "built_from", "curated dataset");
                for (String from : builtFrom) {
                    if (!buildable.contains(from)) {
                        doc.error(m.get("built_from"), "curated dataset '" + name + "' is built from '" + from
                                + "', which is neither a source dataset nor a curated dataset declared above it");
                    }
                }
                List<String> rowsFrom = m.containsKey("rows_from")
                        ? doc.textList(m, item, "rows_from", "curated dataset") : List.of();
                for (String from : rowsFrom) {
                    if (!builtFrom.contains(from) || sources.stream().flatMap(s -> s.datasets().stream())
                            .noneMatch(d -> d.name().equals(from))) {
                        doc.error(m.get("rows_from"), "rows_from '" + from + "' must be a source dataset listed in "
                                + "built_from (one curated row per row of it)");
                    }
                }
                Partitioning partitioning = m.containsKey("partitioning") ? readPartitioning(doc, m, item, null)
                        : new Partitioning(PartitionKind.BUSINESS_DATE, Optional.empty(), Optional.empty());
                if (partitioning.windowed()) {
                    for (String from : rowsFrom) {
                        Optional<Partitioning> input = sources.stream().flatMap(s -> s.datasets().stream())
                                .filter(d -> d.name().equals(from)).findFirst().map(Dataset::partitioning);
                        if (input.isPresent() && !input.get().window().equals(partitioning.window())) {
                            doc.error(m.get("partitioning"), "curated dataset '" + name + "' has "
                                    + partitioning.window().orElseThrow() + " windows but its rows come from '" + from
                                    + "', which is not cut into the same windows");
                        }
                    }
                }
                buildable.add(name);
                curated.add(new CuratedDataset(name, doc.text(m, item, "grain", "curated dataset"), sla, freshness,
                        builtFrom, rowsFrom,
                        doc.textList(m, item, "primary_key", "curated dataset"),
                        readAmount(doc, m, item, null), doc.text(m, item, "business_date", "curated dataset"),
                        partitioning));
            }
        });
        return curated;
    }

    private void checkUniqueNames(List<Source> sources) {
        Set<String> sourceNames = new HashSet<>();
        Set<String> datasetNames = new HashSet<>();
        for (Source s : sources) {
            if (!sourceNames.add(s.name())) {
                errors.add("sources/" + s.name() + ".yaml:1: source '" + s.name() + "' is declared twice");
            }
            for (Dataset d : s.datasets()) {
                if (!datasetNames.add(d.name())) {
                    errors.add("sources/" + s.name() + ".yaml:1: dataset '" + d.name() + "' is declared twice");
                }
            }
        }
    }

    private static void checkName(YamlDocument doc, Node at, String name) {
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            doc.error(at, "'" + name + "' is not a valid name (lowercase letters, digits and _)");
        }
    }
}
