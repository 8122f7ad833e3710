package com.finledger.integrity.lineage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.platform.Sha256;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One OpenLineage event as received: a RunEvent, a DatasetEvent or a JobEvent (static lineage, spec
 * 2.0), read as leniently as Marquez reads them on the wire (no eventType, a zone-less time read as
 * UTC, nanoseconds), with every problem reported by its JSON path. The verbatim JSON stays the record;
 * its content hash identifies a redelivery.
 */
public record OpenLineageEvent(Kind kind, String eventType, Instant eventTime, UUID runId, String jobNamespace,
                               String jobName, String producer, JsonNode json, String canonical, String sha256,
                               int sizeBytes) {

    public enum Kind { RUN, DATASET, JOB }

    static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");

    /** A problem with one event: where (a JSON path, RFC 6901) and what. */
    public record Problem(Integer index, String path, String message) {
        @Override
        public String toString() {
            return (index == null ? "" : "[" + index + "] ") + path + " " + message;
        }
    }

    /** The event, or the problems that keep it out (never both). */
    public record Read(OpenLineageEvent event, List<Problem> problems) {
    }

    public static Read read(JsonNode json, Integer index) {
        List<Problem> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            problems.add(new Problem(index, "", "must be a JSON object (an OpenLineage RunEvent, DatasetEvent or "
                    + "JobEvent)"));
            return new Read(null, problems);
        }
        Kind kind = kindOf(json);
        Instant time = null;
        JsonNode t = json.get("eventTime");
        if (t == null || t.isNull()) {
            problems.add(new Problem(index, "/eventTime", "is required"));
        } else if (!t.isTextual()) {
            problems.add(new Problem(index, "/eventTime", "must be an ISO-8601 time text"));
        } else {
            time = parseTime(t.asText());
            if (time == null) {
                problems.add(new Problem(index, "/eventTime", "must be an ISO-8601 time (with or without offset), not '"
                        + t.asText() + "'"));
            }
        }
        requireText(json, "/producer", index, problems);
        optionalText(json, "/schemaURL", index, problems);
        String type = null;
        UUID runId = null;
        if (kind == Kind.RUN) {
            JsonNode et = json.get("eventType");
            if (et != null && !et.isNull()) {
                type = et.isTextual() ? et.asText() : et.toString();
                if (!EVENT_TYPES.contains(type)) {
                    problems.add(new Problem(index, "/eventType", "must be one of " + EVENT_TYPES.stream().sorted()
                            .toList() + ", not '" + type + "'"));
                }
            }
            requireObject(json, "/run", index, problems);
            String id = json.at("/run/runId").isTextual() ? json.at("/run/runId").asText() : "";
            try {
                runId = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(index, "/run/runId", "must be a UUID, not '" + id + "'"));
            }
            facets(json.at("/run/facets"), "/run/facets", index, problems);
            runFacets(json.at("/run/facets"), index, problems);
        }
        if (kind == Kind.RUN || kind == Kind.JOB) {
            requireObject(json, "/job", index, problems);
            requireText(json, "/job/namespace", index, problems);
            requireText(json, "/job/name", index, problems);
            facets(json.at("/job/facets"), "/job/facets", index, problems);
            for (String list : List.of("inputs", "outputs")) {
                JsonNode datasets = json.get(list);
                if (datasets == null || datasets.isNull()) {
                    continue;
                }
                if (!datasets.isArray()) {
                    problems.add(new Problem(index, "/" + list, "must be a list of datasets"));
                    continue;
                }
                for (int i = 0; i < datasets.size(); i++) {
                    dataset(datasets.get(i), "/" + list + "/" + i, index, problems);
                    String extra = list.equals("inputs") ? "inputFacets" : "outputFacets";
                    facets(datasets.get(i).path(extra), "/" + list + "/" + i + "/" + extra, index, problems);
                }
            }
        }
        if (kind == Kind.DATASET) {
            dataset(json.get("dataset"), "/dataset", index, problems);
        }
        if (!problems.isEmpty()) {
            return new Read(null, problems);
        }
        String canonical = canonical(json);
        byte[] bytes = canonical.getBytes(StandardCharsets.UTF_8);
        return new Read(new OpenLineageEvent(kind, type, time, runId, text(json.at("/job/namespace")),
                text(json.at("/job/name")), json.get("producer").asText(), json, canonical, Sha256.hex(bytes),
                bytes.length), List.of());
    }

    /**
     * The kind: by the schemaURL's definition name when it names one (as the OpenLineage clients set
     * it), else by shape (a run makes a RunEvent, a lone dataset a DatasetEvent, a lone job a JobEvent).
     */
    static Kind kindOf(JsonNode json) {
        String schema = json.path("schemaURL").asText("");
        if (schema.endsWith("/DatasetEvent")) {
            return Kind.DATASET;
        }
        if (schema.endsWith("/JobEvent")) {
            return Kind.JOB;
        }
        if (schema.endsWith("/RunEvent")) {
            return Kind.RUN;
        }
        if (!json.has("run") && json.has("dataset")) {
            return Kind.DATASET;
        }
        if (!json.has("run") && json.has("job")) {
            return Kind.JOB;
        }
        return Kind.RUN;
    }

    /** ISO-8601 with offset or zone, or without (read as UTC), any fraction up to nanoseconds. */
    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // fall through: a zone id, or no zone at all
        }
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void dataset(JsonNode d, String path, Integer index, List<Problem> problems) {
        if (d == null || !d.isObject()) {
            problems.add(new Problem(index, path, "must be a dataset object with a namespace and a name"));
            return;
        }
        requireText(d, "/namespace", path, index, problems);
        requireText(d, "/name", path, index, problems);
        JsonNode facets = d.path("facets");
        facets(facets, path + "/facets", index, problems);
        if (!facets.isObject()) {
            return;
        }
        JsonNode schema = facets.get("schema");
        if (schema != null && schema.isObject() && schema.has("fields")) {
            JsonNode fields = schema.get("fields");
            if (!fields.isArray()) {
                problems.add(new Problem(index, path + "/facets/schema/fields", "must be a list of fields"));
            } else {
                for (int i = 0; i < fields.size(); i++) {
                    requireText(fields.get(i), "/name", path + "/facets/schema/fields/" + i, index, problems);
                }
            }
        }
        JsonNode version = facets.get("version");
        if (version != null && version.isObject() && !version.path("datasetVersion").isTextual()) {
            problems.add(new Problem(index, path + "/facets/version/datasetVersion", "is required text"));
        }
        JsonNode lineage = facets.get("columnLineage");
        if (lineage != null && lineage.isObject() && lineage.has("fields")) {
            JsonNode fields = lineage.get("fields");
            if (!fields.isObject()) {
                problems.add(new Problem(index, path + "/facets/columnLineage/fields", "must be an object of output "
                        + "columns"));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                String at = path + "/facets/columnLineage/fields/" + pointerEscape(column.getKey()) + "/inputFields";
                JsonNode inputs = column.getValue().path("inputFields");
                if (!inputs.isArray()) {
                    problems.add(new Problem(index, at, "must be a list of input fields"));
                    continue;
                }
                for (int i = 0; i < inputs.size(); i++) {
                    for (String f : List.of("/namespace", "/name", "/field")) {
                        requireText(inputs.get(i), f, at + "/" + i, index, problems);
                    }
                }
            }
        }
    }

    private static void runFacets(JsonNode facets, Integer index, List<Problem> problems) {
        if (!facets.isObject()) {
            return;
        }
        JsonNode one = facets.get("finledger_partition");
        if (one != null && one.isObject()) {
            requireText(one, "/dataset", "/run/facets/finledger_partition", index, problems);
            requireText(one, "/partitionKey", "/run/facets/finledger_partition", index, problems);
        }
        JsonNode many = facets.get("finledger_partitions");
        if (many != null && many.isObject()) {
            JsonNode list = many.path("partitions");
            if (!list.isArray()) {
                problems.add(new Problem(index, "/run/facets/finledger_partitions/partitions", "must be a list"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String at = "/run/facets/finledger_partitions/partitions/" + i;
                    requireText(list.get(i), "/dataset", at, index, problems);
                    requireText(list.get(i), "/partitionKey", at, index, problems);
                }
            }
        }
        JsonNode parent = facets.get("parent");
        if (parent != null && parent.isObject() && parent.at("/run/runId").isTextual()) {
            try {
                UUID.fromString(parent.at("/run/runId").asText());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(index, "/run/facets/parent/run/runId", "must be a UUID"));
            }
        }
    }

    /** Facets, where present, are an object of objects (each facet's own fields are kept verbatim). */
    private static void facets(JsonNode facets, String path, Integer index, List<Problem> problems) {
        if (facets == null || facets.isMissingNode() || facets.isNull()) {
            return;
        }
        if (!facets.isObject()) {
            problems.add(new Problem(index, path, "must be an object of facets"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = facets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isObject() && !f.getValue().isNull()) {
                problems.add(new Problem(index, path + "/" + pointerEscape(f.getKey()), "must be a facet object"));
            }
        }
    }

    private static void requireObject(JsonNode json, String path, Integer index, List<Problem> problems) {
        if (!json.at(path).isObject()) {
            problems.add(new Problem(index, path, "is required (an object)"));
        }
    }

    private static void requireText(JsonNode json, String path, Integer index, List<Problem> problems) {
        requireText(json, path, "", index, problems);
    }

    private static void requireText(JsonNode json, String field, String base, Integer index, List<Problem> problems) {
        JsonNode v = json == null ? null : json.at(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(new Problem(index, base + field, "is required (non-blank text)"));
        }
    }

    private static void optionalText(JsonNode json, String path, Integer index, List<Problem> problems) {
        JsonNode v = json.at(path);
        if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
            problems.add(new Problem(index, path, "must be text"));
        }
    }

    static String pointerEscape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    /**
     * Canonical JSON: object members sorted by name at every level, no insignificant white space,
     * numbers and strings as Jackson writes them. Two deliveries of one event hash alike however
     * their producer ordered or spaced the members. Written in one pass by one character generator,
     * as {@code toString()} writes (a UTF-8 byte generator would escape characters outside the BMP as
     * surrogate pairs): the text the earlier member-by-member form gave, so stored contents keep their
     * hashes.
     */
    static String canonical(JsonNode json) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = CANONICAL.createGenerator(out)) {
            write(json, g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write canonical JSON", e);
        }
        return out.toString();
    }

    private static final JsonFactory CANONICAL = JsonFactory.builder().build();

    /** The canonical JSON as UTF-8: the bytes that are hashed and stored. */
    static byte[] canonicalBytes(JsonNode json) {
        return canonical(json).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, JsonGenerator g) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                String[] names = new String[n.size()];
                int i = 0;
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    names[i++] = it.next();
                }
                Arrays.sort(names);
                g.writeStartObject();
                for (String name : names) {
                    g.writeFieldName(name);
                    write(n.get(name), g);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (int i = 0; i < n.size(); i++) {
                    write(n.get(i), g);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            // as the node writes itself (what its toString() wrote): int, long, big, float, double, decimal
            case NUMBER -> ((com.fasterxml.jackson.databind.node.NumericNode) n).serialize(g, null);
            default -> g.writeRawValue(n.toString());
        }
    }

    public boolean isRun() {
        return kind == Kind.RUN;
    }
}
