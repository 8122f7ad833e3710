package com.finledger.integrity.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partition's reasons as people read them: the most severe first (a changed schema or a missing file
 * before a failing rule, a failing rule before a count that differs, an empty-amount line and an
 * upstream block last), each with a link where there is something to open (the upstream partition,
 * the rule's quarantined rows).
 */
public final class Reasons {

    private static final Pattern UPSTREAM = Pattern.compile("^upstream (\\S+) (\\S+) is ");
    private static final Pattern RULE = Pattern.compile("^rule (\\S+?):");

    private Reasons() {
    }

    public record Reason(String text, int severity, String href) {

        public String tone() {
            return severity <= 1 ? "bad" : "warn";
        }
    }

    public static List<Reason> of(JsonNode blocking, String dataset, String businessDate) {
        List<Reason> reasons = new ArrayList<>();
        if (blocking == null) {
            return reasons;
        }
        for (JsonNode n : blocking) {
            String text = n.asText();
            reasons.add(new Reason(text, severity(text), href(text, dataset, businessDate)));
        }
        reasons.sort(Comparator.comparingInt(Reason::severity));
        return reasons;
    }

    static int severity(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.contains("schema") || t.contains("missing") || t.contains("not arrived") || t.contains("no file")) {
            return 0;
        }
        if (t.startsWith("rule ")) {
            return 1;
        }
        if (t.startsWith("upstream ")) {
            return 4;
        }
        if (t.contains("∅")) {
            return 3;
        }
        return 2;
    }

    static String href(String text, String dataset, String businessDate) {
        Matcher up = UPSTREAM.matcher(text);
        if (up.find()) {
            return "/readiness/" + up.group(1) + "/" + up.group(2);
        }
        Matcher rule = RULE.matcher(text);
        if (rule.find()) {
            return "/readiness/" + dataset + "/" + businessDate + "/quarantine?rule=" + rule.group(1);
        }
        return null;
    }
}
