package com.finledger.integrity.lineage;

import com.finledger.integrity.readiness.PartitionDetail;
import com.finledger.integrity.readiness.PartitionReadiness;
import com.finledger.integrity.readiness.ReadinessService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data quality on the lineage graph: a catalog partition's readiness and failing rule results, read
 * from the readiness code (never recomputed here), and what a BLOCKED partition upstream means for
 * everything downstream of it.
 */
@ApplicationScoped
public class LineageQuality {

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionDetail detail;

    /** A catalog partition as lineage names it, with its readiness (state null: the readiness code has none). */
    public record PartitionState(String dataset, String partitionKey, String state, String label, String tone,
                                 List<String> failingRules) {

        public boolean blocked() {
            return "BLOCKED".equals(state);
        }

        public String words() {
            return dataset + " " + partitionKey + ": " + label;
        }
    }

    /** Readiness of each partition, in the order given. */
    public List<PartitionState> states(List<String[]> partitions) {
        Map<String, PartitionReadiness> found = new HashMap<>();
        List<String[]> distinct = new ArrayList<>(new LinkedHashSet<>(partitions.stream().map(p -> p[0] + "\u0000" + p[1])
                .toList()).stream().map(s -> s.split("\u0000", 2)).toList());
        for (PartitionReadiness r : readiness.findAll(distinct)) {
            found.put(r.dataset() + "\u0000" + r.partition(), r);
        }
        List<PartitionState> states = new ArrayList<>();
        for (String[] p : partitions) {
            PartitionReadiness r = found.get(p[0] + "\u0000" + p[1]);
            if (r == null) {
                states.add(new PartitionState(p[0], p[1], null, "No readiness recorded", "neutral", List.of()));
                continue;
            }
            List<String> failing = r.lastEvaluationId() == null ? List.of() : detail.rules(r.lastEvaluationId()).stream()
                    .filter(rule -> !rule.passed()).map(rule -> rule.name() + " (" + rule.severity() + ", "
                            + rule.failedRows() + " rows)").toList();
            states.add(new PartitionState(p[0], p[1], r.state().name(), r.state().label(), r.state().tone(), failing));
        }
        return states;
    }

    /**
     * For each node, the blocked partitions upstream of it (excluding its own). upstreamOf maps a
     * node to its direct upstream nodes; blockedAt maps a node to the words of its own blocked partitions.
     */
    public static Map<String, List<String>> blockedUpstream(Map<String, Set<String>> upstreamOf,
                                                            Map<String, List<String>> blockedAt) {
        // walk downstream from each blocked node only: cheap when few are blocked, whatever the graph's size
        Map<String, List<String>> downstreamOf = new HashMap<>();
        upstreamOf.forEach((node, ups) -> ups.forEach(up -> downstreamOf.computeIfAbsent(up, k -> new ArrayList<>())
                .add(node)));
        Map<String, Set<String>> found = new HashMap<>();
        blockedAt.entrySet().stream().filter(e -> !e.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    Set<String> seen = new java.util.HashSet<>();
                    ArrayList<String> stack = new ArrayList<>(downstreamOf.getOrDefault(e.getKey(), List.of()));
                    while (!stack.isEmpty()) {
                        String down = stack.remove(stack.size() - 1);
                        if (!seen.add(down)) {
                            continue;
                        }
                        if (!down.equals(e.getKey())) {
                            found.computeIfAbsent(down, k -> new java.util.TreeSet<>()).addAll(e.getValue());
                        }
                        stack.addAll(downstreamOf.getOrDefault(down, List.of()));
                    }
                });
        Map<String, List<String>> result = new HashMap<>();
        for (String node : upstreamOf.keySet()) {
            result.put(node, List.copyOf(found.getOrDefault(node, Set.of())));
        }
        return result;
    }
}
