package com.finledger.integrity.platform;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import java.util.Set;

/** What every page's layout needs: who is signed in and which sections they may open. */
public final class Pages {

    private Pages() {
    }

    /** A navigation link; badge is a count shown beside it (0: none), e.g. approvals waiting for me. */
    public record NavItem(String href, String label, boolean active, long badge) {

        public NavItem(String href, String label, boolean active) {
            this(href, label, active, 0);
        }
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
            new Section("/approvals", "Approvals", Set.of("ops", "finance_preparer", "finance_approver", "auditor",
                    "admin")),
            // issue 17: operations status, the recovery console (ops only) and the runbooks
            new Section("/operations", "Operations", Set.of("ops", "auditor", "finance_preparer", "finance_approver", "admin")),
            new Section("/recovery", "Recovery", Set.of("ops", "admin")),
            new Section("/runbooks", "Runbooks", Set.of("ops", "auditor", "finance_preparer", "finance_approver", "pipeline",
                    "admin")),
            new Section("/alerts", "Alerts", Set.of("ops", "admin")));

    public static TemplateInstance page(TemplateInstance instance, SecurityIdentity identity, String active) {
        List<NavItem> nav = SECTIONS.stream()
                .filter(s -> s.roles().isEmpty() || s.roles().stream().anyMatch(identity::hasRole))
                .map(s -> new NavItem(s.href(), s.label(), s.href().equals(active), badge(s.href(), identity)))
                .toList();
        return instance.data("user", identity.getPrincipal().getName())
                .data("roles", String.join(", ", identity.getRoles().stream().sorted().toList()))
                .data("nav", nav);
    }

    private static long badge(String href, SecurityIdentity identity) {
        if (!href.equals("/approvals") || identity.isAnonymous() || io.vertx.core.Context.isOnEventLoopThread()) {
            // an error page rendered on the I/O thread (a 403 or 404 before dispatch) skips the database
            return 0;
        }
        return io.quarkus.arc.Arc.container().instance(com.finledger.integrity.approvals.ApprovalsInbox.class).get()
                .forMe(identity);
    }
}
