package com.finledger.integrity.overview;

import com.finledger.integrity.approvals.ApprovalsInbox;
import com.finledger.integrity.breaks.BreakCase;
import com.finledger.integrity.operations.SloService;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.ReadinessResource;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the first page after sign-in says before any table: what is blocked now and why, which partner
 * files are late or missing, and what waits for the viewer. Every count links to the filtered list.
 */
@ApplicationScoped
public class StatusSummary {

    static final int SHOWN = 8;

    @Inject
    DataSource dataSource;

    @Inject
    ApprovalsInbox approvals;

    @Inject
    Clock clock;

    @Inject
    SloService slo;

    /** A blocked business-date partition, the first (most severe) reason and how many more there are. */
    public record Blocked(String dataset, String partition, String firstReason, int moreReasons) {

        public String href() {
            return "/readiness/" + dataset + "/" + partition;
        }
    }

    /** A partner file that is late against its cut-off, or missing past it. */
    public record FileIssue(String partner, String dataset, LocalDate businessDate, String status, Instant cutoffAt) {

        public String href() {
            return "/partner-files?partner=" + partner + "&date=" + businessDate;
        }

        public String label() {
            return switch (status) {
                case "MISSING" -> "missing";
                case "ARRIVED_LATE" -> "arrived late";
                default -> status.toLowerCase().replace('_', ' ');
            };
        }
    }

    public record Status(long blockedCount, List<Blocked> blocked, long blockedWindows, List<FileIssue> files,
                         long approvalsForMe, long assignedToMe, long overdueMine, String user, Freshness freshness) {
    }

    /** Lag against the catalog's freshness objective: how many dataset layers are past it, and the worst one. */
    public record Freshness(long measured, long breached, SloService.Measurement worst) {

        public String worstLag() {
            return worst == null ? "" : com.finledger.integrity.platform.Fmt.age(worst.lag());
        }

        public String worstTarget() {
            return worst == null ? "" : com.finledger.integrity.platform.Fmt.age(worst.target());
        }
    }

    Freshness freshness(Instant now) {
        List<SloService.Measurement> measured = slo.measure(now);
        // worst relative to its own objective: 3 h behind a 2 h objective is worse than 15 min behind 10 min
        SloService.Measurement worst = measured.stream().max(java.util.Comparator.comparingDouble(
                m -> (double) m.lag().toSeconds() / Math.max(1, m.target().toSeconds()))).orElse(null);
        return new Freshness(measured.size(), measured.stream().filter(SloService.Measurement::breached).count(), worst);
    }

    public Status of(SecurityIdentity identity) {
        String user = identity.getPrincipal().getName();
        List<Blocked> blocked = Jdbc.query(dataSource, """
                select dataset, partition_key, checks_summary::text from partition_readiness
                where state = 'BLOCKED' and partition_key not like '%T%'
                order by partition_key desc, dataset""", List.of(), rs -> {
            var reasons = ReadinessResource.parse(rs.getString(3)).path("blocking");
            return new Blocked(rs.getString(1), rs.getString(2), reasons.isEmpty() ? "" : reasons.get(0).asText(),
                    Math.max(0, reasons.size() - 1));
        });
        long windows = Jdbc.query(dataSource, """
                select count(*) from partition_readiness where state = 'BLOCKED' and partition_key like '%T%'""",
                List.of(), rs -> rs.getLong(1)).get(0);
        List<FileIssue> files = Jdbc.query(dataSource, """
                select partner, dataset, business_date, status, cutoff_at from partner_file_expectation
                where status in ('MISSING', 'ARRIVED_LATE') order by business_date desc, partner""", List.of(),
                rs -> new FileIssue(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
        Instant now = clock.instant();
        List<BreakCase> mine = BreakCase.list("owner = ?1 and state in ?2", user,
                List.of(BreakCase.State.OPEN, BreakCase.State.INVESTIGATING));
        long overdue = mine.stream().filter(b -> b.overdue(now)).count();
        return new Status(blocked.size(), blocked.subList(0, Math.min(SHOWN, blocked.size())), windows, files,
                approvals.forMe(identity), mine.size(), overdue, user, freshness(now));
    }
}
