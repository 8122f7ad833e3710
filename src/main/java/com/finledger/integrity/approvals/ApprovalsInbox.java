package com.finledger.integrity.approvals;

import com.finledger.integrity.breaks.BreakCase;
import com.finledger.integrity.close.ClosePeriod;
import com.finledger.integrity.readiness.OverrideService;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything that waits for a second person: partition overrides, month-end sign-offs and reopen
 * requests, break write-offs. Each item says who asked, when and why, and whether the viewer may decide
 * it (an approver who did not ask); the navigation badge counts those.
 */
@ApplicationScoped
public class ApprovalsInbox {

    public enum Kind {
        OVERRIDE("Partition override"), SIGN_OFF("Month-end sign-off"), REOPEN("Month reopen"),
        WRITE_OFF("Break write-off");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One waiting decision; amount in minor units (null where the item carries none). */
    public record Item(Kind kind, String subject, String href, String requestedBy, Instant requestedAt,
                       String reason, Long amountMinor, String currency, boolean mine, boolean canDecide) {
    }

    @Inject
    OverrideService overrides;

    public List<Item> waiting(SecurityIdentity identity) {
        String user = identity.getPrincipal().getName();
        boolean approver = identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN);
        List<Item> items = new ArrayList<>();
        for (OverrideService.Override o : overrides.waiting()) {
            items.add(new Item(Kind.OVERRIDE, o.dataset() + " " + o.partition(),
                    "/readiness/" + o.dataset() + "/" + o.partition() + "#overrides", o.requestedBy(), o.requestedAt(),
                    o.requestReason(), null, null, o.requestedBy().equals(user),
                    approver && !o.requestedBy().equals(user)));
        }
        for (ClosePeriod p : ClosePeriod.<ClosePeriod>list("state in ?1",
                List.of(ClosePeriod.State.SIGNED_OFF, ClosePeriod.State.REOPEN_REQUESTED))) {
            boolean signOff = p.state == ClosePeriod.State.SIGNED_OFF;
            String by = signOff ? p.signedOffBy : p.reopenRequestedBy;
            boolean mine = user.equals(by);
            items.add(new Item(signOff ? Kind.SIGN_OFF : Kind.REOPEN, "Close " + p.period, "/close/" + p.period,
                    by, signOff ? p.signedOffAt : p.reopenRequestedAt, signOff ? p.signoffNote : p.reopenCause,
                    null, null, mine, approver && (!signOff || !mine)));
        }
        for (BreakCase b : BreakCase.<BreakCase>list("writeOffRequestedBy is not null and state = ?1",
                BreakCase.State.INVESTIGATING)) {
            boolean mine = user.equals(b.writeOffRequestedBy);
            items.add(new Item(Kind.WRITE_OFF, "Break #" + b.id + " " + b.ruleName, "/breaks/" + b.id,
                    b.writeOffRequestedBy, b.writeOffRequestedAt, b.writeOffReason, b.amountAtRiskMinor, b.currency,
                    mine, approver && !mine));
        }
        items.sort(Comparator.comparing(Item::requestedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return items;
    }

    /** How many decisions wait for this viewer (the navigation badge). */
    public long forMe(SecurityIdentity identity) {
        if (!(identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN))) {
            return 0;
        }
        return waiting(identity).stream().filter(Item::canDecide).count();
    }
}
