package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.finledger.integrity.platform.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The canonical form is written in one generator pass; it must be byte for byte the form that the
 * hashes of events already stored were computed from (members sorted, each key and value as its
 * node's toString()), or a redelivery of an old event would be stored a second time.
 */
class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The member-by-member form the stored hashes were computed with before the single-pass writer. */
    private static String reference(JsonNode n) {
        StringBuilder out = new StringBuilder();
        reference(n, out);
        return out.toString();
    }

    private static void reference(JsonNode n, StringBuilder out) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            ((ObjectNode) n).fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(TextNode.valueOf(e.getKey()).toString()).append(':');
                reference(e.getValue(), out);
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                reference(n.get(i), out);
            }
            out.append(']');
        } else {
            out.append(n.toString());
        }
    }

    @Test
    void theFixturesCanonicaliseAsBefore() {
        List<JsonNode> events = new ArrayList<>();
        for (String f : List.of("airflow-task-run.json", "dbt-model-run.json", "spark-glue-run.json",
                "static-lineage.json")) {
            LineageFixtures.load(f).forEach(events::add);
        }
        assertEquals(true, events.size() >= 8, "the fixtures hold events");
        for (JsonNode e : events) {
            String expected = reference(e);
            byte[] bytes = OpenLineageEvent.canonicalBytes(e);
            assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), bytes);
            OpenLineageEvent read = OpenLineageEvent.read(e, null).event();
            if (read != null) {
                assertEquals(Sha256.hex(expected.getBytes(StandardCharsets.UTF_8)), read.sha256());
                assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, read.sizeBytes());
            }
        }
    }

    @Test
    void unicodeEscapesAndNumbersCanonicaliseAsBefore() throws Exception {
        String text = """
                {"z": "Zürich ✓ 北京 😀 \\u0000 \\u001f \\" \\\\ / </script> \\t\\n\\r \\u2028",
                 "émoji 😀 key": [1, -0, 0.0, -0.0, 1.0E-7, 3.14159265358979, 1e308, 12345678901234567890123,
                                 9223372036854775807, -9223372036854775808, 1.5e-320, 123.4500, true, false, null],
                 "a": {"nested": {"b": 2, "a": 1, "": "empty key", "A": "upper"}, "list": [{"y": 1, "x": 2}]},
                 "\\u00e9": "precomposed", "e\\u0301": "combining"}""";
        JsonNode json = JSON.readTree(text);
        assertEquals(reference(json), OpenLineageEvent.canonical(json));
        JsonNode reordered = JSON.readTree("""
                {"e\\u0301": "combining", "\\u00e9": "precomposed",
                 "a": {"list": [{"x": 2, "y": 1}], "nested": {"A": "upper", "": "empty key", "a": 1, "b": 2}},
                 "émoji 😀 key": [1, -0, 0.0, -0.0, 1.0E-7, 3.14159265358979, 1e308, 12345678901234567890123,
                                 9223372036854775807, -9223372036854775808, 1.5e-320, 123.4500, true, false, null],
                 "z":   "Zürich ✓ 北京 😀 \\u0000 \\u001f \\" \\\\ / </script> \\t\\n\\r \\u2028"}""");
        assertEquals(OpenLineageEvent.canonical(json), OpenLineageEvent.canonical(reordered),
                "member order and white space do not change the canonical form");
        ((ObjectNode) reordered.get("a").get("nested")).put("b", 3);
        assertNotEquals(OpenLineageEvent.canonical(json), OpenLineageEvent.canonical(reordered),
                "a changed value deep inside changes it");
    }
}
