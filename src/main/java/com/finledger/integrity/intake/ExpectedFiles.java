package com.finledger.integrity.intake;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.PartnerDrop;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.ReadinessService;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The expected-file calendar: each partner owes one file per business day of its calendar, due by
 * its cut-off on the next day in its time zone. A file that has not come by then is MISSING — an
 * alert (logged at ERROR, gauge {@code finledger_partner_files_missing}) and a break that blocks the
 * partition, which is created for it although nothing landed; one that came after is ARRIVED_LATE.
 */
@ApplicationScoped
public class ExpectedFiles {

    private static final Logger LOG = Logger.getLogger(ExpectedFiles.class);

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @Inject
    ReadinessService readiness;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.intake.expected-from", defaultValue = "2026-11-02")
    LocalDate expectedFrom;

    /** The last business date files are expected for (the demo world's last day locally; today in production). */
    @ConfigProperty(name = "finledger.intake.expected-until")
    Optional<LocalDate> expectedUntil;

    private final AtomicInteger missing = new AtomicInteger();

    @Inject
    void gauge(MeterRegistry registry) {
        registry.gauge("finledger_partner_files_missing", missing);
    }

    public record Expectation(String partner, String dataset, LocalDate businessDate, String expectedName,
                              Instant cutoffAt, String status, Instant firstArrival) {
    }

    /** Checks every expected file up to now, records what it found, and raises the missing ones. */
    public List<Expectation> check(String actor) {
        Instant now = clock.instant();
        List<Expectation> all = new ArrayList<>();
        LocalDate until = expectedUntil.orElse(LocalDate.ofInstant(now, ZoneOffset.UTC));
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() != SourceKind.PARTNER_FILES) {
                continue;
            }
            for (LocalDate d = expectedFrom; !d.isAfter(until); d = d.plusDays(1)) {
                expectation(source, d, now).ifPresent(all::add);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            for (Expectation e : all) {
                String before = record(c, e, now);
                if (e.status().equals("MISSING")) {
                    readiness.expect(c, e.dataset(), e.businessDate().toString());
                    if (!"MISSING".equals(before)) {
                        LOG.errorf("ALERT partner file missing: %s expected by %s for business date %s", e.expectedName(),
                                e.cutoffAt(), e.businessDate());
                    }
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot record the expected-file check: " + ex.getMessage(), ex);
        }
        missing.set((int) all.stream().filter(e -> e.status().equals("MISSING")).count());
        return all;
    }

    /** What the calendar says of one business date, if the partner owes a file for it. */
    public Optional<Expectation> expectation(Source source, LocalDate date, Instant now) {
        PartnerDrop drop = source.partnerDrop().orElseThrow();
        if (!drop.isBusinessDay(date)) {
            return Optional.empty();
        }
        Dataset dataset = source.datasets().get(0);
        Instant cutoff = date.plusDays(1).atTime(LocalTime.parse(drop.cutoff())).atZone(ZoneId.of(drop.timeZone()))
                .toInstant();
        // as of now: a file recorded as arriving later (the demo world's late file, a test clock) has not come yet
        Optional<Instant> first = Jdbc.query(dataSource, """
                select min(arrived_at) from partner_file where dataset = ? and business_date = ?
                  and state in ('ACCEPTED', 'DUPLICATE') and arrived_at <= ?""",
                List.of(dataset.name(), date, Timestamp.from(now)),
                rs -> rs.getTimestamp(1)).stream().filter(java.util.Objects::nonNull).map(Timestamp::toInstant)
                .findFirst();
        String status = first.map(at -> at.isAfter(cutoff) ? "ARRIVED_LATE" : "ARRIVED")
                .orElse(now.isAfter(cutoff) ? "MISSING" : "WAITING");
        return Optional.of(new Expectation(source.name(), dataset.name(), date, drop.expectedName(date), cutoff, status,
                first.orElse(null)));
    }

    /** The {@code expected_file} control of a partner dataset's partition. */
    public ControlResult control(Source source, Dataset dataset, LocalDate date) {
        Optional<Expectation> e = expectation(source, date, clock.instant());
        if (e.isEmpty()) {
            return new ControlResult("expected_file", "source", "landing", 0, 0, 0, 0, 0, true, List.of(), List.of());
        }
        List<String> reasons = new ArrayList<>();
        if (e.get().status().equals("MISSING")) {
            List<String> quarantined = Jdbc.query(dataSource, """
                    select object_key || ': ' || reason from partner_file where dataset = ? and business_date = ?
                      and state = 'QUARANTINED' order by id""", List.of(dataset.name(), date), rs -> rs.getString(1));
            reasons.add("missing file: " + e.get().expectedName() + " was due by " + e.get().cutoffAt() + " ("
                    + source.partnerDrop().orElseThrow().cutoff() + " " + source.partnerDrop().orElseThrow().timeZone()
                    + ") and no valid file has arrived" + (quarantined.isEmpty() ? ""
                    : "; quarantined: " + String.join("; ", quarantined)));
        }
        return new ControlResult("expected_file", "source", "landing", 1, 0,
                e.get().status().startsWith("ARRIVED") ? 1 : 0, 0, 0, reasons.isEmpty(), reasons, List.of());
    }

    private static String record(Connection c, Expectation e, Instant now) throws SQLException {
        String before = null;
        try (PreparedStatement ps = c.prepareStatement(
                "select status from partner_file_expectation where partner = ? and business_date = ?")) {
            ps.setString(1, e.partner());
            ps.setObject(2, e.businessDate());
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    before = rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into partner_file_expectation (partner, dataset, business_date, expected_name, cutoff_at, status,
                                                      checked_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (partner, business_date) do update set status = excluded.status,
                    checked_at = excluded.checked_at""")) {
            ps.setString(1, e.partner());
            ps.setString(2, e.dataset());
            ps.setObject(3, e.businessDate());
            ps.setString(4, e.expectedName());
            ps.setTimestamp(5, Timestamp.from(e.cutoffAt()));
            ps.setString(6, e.status());
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        }
        return before;
    }
}
