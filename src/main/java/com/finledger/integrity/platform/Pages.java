package com.finledger.integrity.platform;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import java.util.Set;

/** What every page's layout needs: who is signed in and which sections they may open. */
public final class Pages {

    private Pages() {
    }

    public record NavItem(String href, String label, boolean active) {
    }

    private record Section(String href, String label, Set<String> roles) {
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("/", "Overview", Set.of()),
            new Section("/readiness", "Readiness", Set.of("ops", "finance_preparer", "finance_approver", "auditor",
                    "admin")),
            new Section("/partner-files", "Partner files", Set.of("ops", "finance_preparer", "finance_approver",
                    "auditor", "admin")),
            new Section("/breaks", "Breaks", Set.of("ops", "finance_preparer", "finance_approver", "auditor", "admin")),
            new Section("/close", "Close", Set.of("finance_preparer", "finance_approver", "auditor", "admin")),
            new Section("/sources", "Sources", Set.of("ops", "auditor", "admin")),
            new Section("/catalog", "Catalog", Set.of()),
            new Section("/lineage", "Lineage", Set.of("auditor", "ops", "finance_preparer", "finance_approver", "admin")),
            new Section("/audit", "Audit log", Set.of("auditor", "finance_preparer", "finance_approver", "admin")),
            new Section("/alerts", "Alerts", Set.of("ops", "admin")));

    public static TemplateInstance page(TemplateInstance instance, SecurityIdentity identity, String active) {
        List<NavItem> nav = SECTIONS.stream()
                .filter(s -> s.roles().isEmpty() || s.roles().stream().anyMatch(identity::hasRole))
                .map(s -> new NavItem(s.href(), s.label(), s.href().equals(active)))
                .toList();
        return instance.data("user", identity.getPrincipal().getName())
                .data("roles", String.join(", ", identity.getRoles().stream().sorted().toList()))
                .data("nav", nav);
    }
}
