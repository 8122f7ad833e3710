package com.finledger.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Small helpers to walk synthesised CloudFormation as plain maps. */
public final class Templates {

    private Templates() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> resources(Template template, String type) {
        return (Map<String, Map<String, Object>>) (Map<String, ?>) template.findResources(type);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> props(Map<String, Object> resource) {
        Object p = resource.get("Properties");
        return p == null ? Map.of() : (Map<String, Object>) p;
    }

    @SuppressWarnings("unchecked")
    public static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof List) {
            return (List<Map<String, Object>>) node;
        }
        return List.of((Map<String, Object>) node);
    }

    public static List<String> strings(Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        } else if (node != null) {
            out.add(String.valueOf(node));
        }
        return out;
    }
}
