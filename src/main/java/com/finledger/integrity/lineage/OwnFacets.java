package com.finledger.integrity.lineage;

import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom facets of the lineage we record ourselves (lineage contract §3–4), built on the
 * OpenLineage client's facet base types: each carries {@code _producer} and a {@code _schemaURL}
 * into {@code lineage/finledger-facets.json} (served by the application under {@code /lineage/}).
 */
public final class OwnFacets {

    /** The one producer of every event we build. */
    public static final URI PRODUCER = URI.create("https://github.com/finledger/finledger-integrity");

    static final String SCHEMA = PRODUCER
            + "/blob/main/src/main/resources/META-INF/resources/lineage/finledger-facets.json#/$defs/";

    private OwnFacets() {
    }

    /** A run facet with our schema URL; its fields are the client's additional properties, in order. */
    static final class RunFacet extends OpenLineage.DefaultRunFacet {

        private final URI schemaUrl;

        RunFacet(String definition, Map<String, Object> fields) {
            super(PRODUCER);
            this.schemaUrl = URI.create(SCHEMA + definition);
            getAdditionalProperties().putAll(fields);
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl;
        }
    }

    /** A dataset facet with our schema URL. */
    static final class DatasetFacet extends OpenLineage.DefaultDatasetFacet {

        private final URI schemaUrl;

        DatasetFacet(String definition, Map<String, Object> fields) {
            super(PRODUCER, null);
            this.schemaUrl = URI.create(SCHEMA + definition);
            getAdditionalProperties().putAll(fields);
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl;
        }
    }

    /** A catalog partition a run built (part of). */
    public record Partition(String dataset, String partitionKey) {
    }

    /** {@code finledger_object}: the exact object version a landing dataset was read or written as. */
    static DatasetFacet object(String key, String versionId, String sha256, long sizeBytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("versionId", versionId);
        fields.put("sha256", sha256 == null ? null : sha256.trim());
        fields.put("sizeBytes", sizeBytes);
        return new DatasetFacet("ObjectDatasetFacet", fields);
    }

    /** Adds {@code finledger_partition} (one) or {@code finledger_partitions} (several); none adds nothing. */
    static void partitions(OpenLineage.RunFacetsBuilder facets, List<Partition> partitions) {
        if (partitions.size() == 1) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dataset", partitions.get(0).dataset());
            fields.put("partitionKey", partitions.get(0).partitionKey());
            facets.put("finledger_partition", new RunFacet("PartitionRunFacet", fields));
        } else if (partitions.size() > 1) {
            List<Map<String, Object>> list = partitions.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", p.dataset());
                m.put("partitionKey", p.partitionKey());
                return m;
            }).toList();
            facets.put("finledger_partitions", new RunFacet("PartitionsRunFacet", Map.of("partitions", list)));
        }
    }

    /** A run facet of our own with the given fields (nulls left out). */
    static RunFacet run(String definition, Map<String, Object> fields) {
        Map<String, Object> present = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        return new RunFacet(definition, present);
    }
}
