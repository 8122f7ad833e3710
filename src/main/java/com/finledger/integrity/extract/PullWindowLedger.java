package com.finledger.integrity.extract;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gap-free pull-window ledger: every window {@code [from, to)} the extractor pulls from a
 * processor endpoint, with its status, row count and checksum, and every pull of it. New windows
 * start at the high-water mark (the end of the last window), so windows tile time; closed windows
 * within the look-back are pulled again to catch late records, failed ones until they succeed. A
 * hole or an overlap in the tiling is a break of the partitions it touches.
 */
@ApplicationScoped
public class PullWindowLedger {

    @ConfigProperty(name = "finledger.extract.start", defaultValue = "2026-11-02T00:00:00Z")
    Instant start;

    @ConfigProperty(name = "finledger.extract.window", defaultValue = "PT24H")
    Duration window;

    @ConfigProperty(name = "finledger.extract.look-back", defaultValue = "PT48H")
    Duration lookBack;

    @Inject
    DataSource dataSource;

    public enum Kind { SCHEDULED, LOOK_BACK, BACKFILL }

    public record Planned(Instant from, Instant to, Kind kind) {
    }

    /** What one pull found: SUCCEEDED with rows and checksum, or FAILED with the error. */
    public record Pull(String status, long rows, String checksum, String objectKey, String objectVersion,
                       String error, Instant startedAt, Instant finishedAt) {
    }

    public record Window(long id, String source, String endpoint, Instant from, Instant to, String status, long rows,
                         String checksum, int pulls, String objectKey, String error, Instant firstPulledAt,
                         Instant lastPulledAt, Instant lastChangedAt) {
    }

    public record Attempt(int pullNo, String kind, Instant startedAt, Instant finishedAt, String status, Long rows,
                          String checksum, boolean changed, String error, String triggeredBy) {
    }

    /** A place where the windows do not tile time, or a window whose last pull failed. */
    public record Issue(String kind, Instant from, Instant to, String detail) {

        public boolean touches(Instant dayFrom, Instant dayTo) {
            return from.isBefore(dayTo) && to.isAfter(dayFrom);
        }
    }

    public Duration windowSize() {
        return window;
    }

    /** Windows to pull now: failed ones again, those inside the look-back again, then new ones up to now. */
    public List<Planned> plan(Connection c, String source, String endpoint, Instant now, Predicate<Instant> skipNew)
            throws SQLException {
        List<Planned> planned = new ArrayList<>();
        Instant highWater = start;
        try (PreparedStatement ps = c.prepareStatement("""
                select window_from, window_to, status from pull_window where source = ? and endpoint = ?
                order by window_from""")) {
            ps.setString(1, source);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant from = rs.getTimestamp(1).toInstant();
                    Instant to = rs.getTimestamp(2).toInstant();
                    if (rs.getString(3).equals("FAILED")) {
                        planned.add(new Planned(from, to, Kind.SCHEDULED));
                    } else if (to.isAfter(now.minus(lookBack))) {
                        planned.add(new Planned(from, to, Kind.LOOK_BACK));
                    }
                    highWater = to.isAfter(highWater) ? to : highWater;
                }
            }
        }
        for (Instant from = highWater; !from.plus(window).isAfter(now); from = from.plus(window)) {
            if (!skipNew.test(from)) {
                planned.add(new Planned(from, from.plus(window), Kind.SCHEDULED));
            }
        }
        return planned;
    }

    /** Records one pull of a window; returns true if it succeeded with content other than the window had. */
    public boolean record(Connection c, String source, String endpoint, Planned window, Pull pull, String actor)
            throws SQLException {
        boolean ok = pull.status().equals("SUCCEEDED");
        long id;
        String previousChecksum;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into pull_window (source, endpoint, window_from, window_to, status, first_pulled_at,
                                         last_pulled_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (source, endpoint, window_from) do update set last_pulled_at = excluded.last_pulled_at
                returning id, checksum, window_to""")) {
            ps.setString(1, source);
            ps.setString(2, endpoint);
            ps.setTimestamp(3, Timestamp.from(window.from()));
            ps.setTimestamp(4, Timestamp.from(window.to()));
            ps.setString(5, pull.status());
            ps.setTimestamp(6, Timestamp.from(pull.finishedAt()));
            ps.setTimestamp(7, Timestamp.from(pull.finishedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
                previousChecksum = rs.getString(2);
                if (!rs.getTimestamp(3).toInstant().equals(window.to())) {
                    throw new IllegalArgumentException("window [" + window.from() + ", " + window.to() + ") of "
                            + source + " does not match the recorded window ending " + rs.getTimestamp(3).toInstant());
                }
            }
        }
        boolean changed = ok && !pull.checksum().equals(previousChecksum);
        try (PreparedStatement ps = c.prepareStatement("""
                update pull_window set pulls = pulls + 1,
                    status = case when ? then 'SUCCEEDED' when checksum is null then 'FAILED' else status end,
                    row_count = case when ? then ? else row_count end,
                    checksum = case when ? then ? else checksum end,
                    object_key = case when ? then ? else object_key end,
                    object_version = case when ? then ? else object_version end,
                    error = case when ? then null else ? end,
                    last_changed_at = case when ? then ? else last_changed_at end
                where id = ? returning pulls""")) {
            int i = 1;
            ps.setBoolean(i++, ok);
            ps.setBoolean(i++, ok);
            ps.setLong(i++, pull.rows());
            ps.setBoolean(i++, ok);
            ps.setString(i++, pull.checksum());
            ps.setBoolean(i++, changed);
            ps.setString(i++, pull.objectKey());
            ps.setBoolean(i++, changed);
            ps.setString(i++, pull.objectVersion());
            ps.setBoolean(i++, ok);
            ps.setString(i++, pull.error());
            ps.setBoolean(i++, changed);
            ps.setTimestamp(i++, Timestamp.from(pull.finishedAt()));
            ps.setLong(i, id);
            int pullNo;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pullNo = rs.getInt(1);
            }
            try (PreparedStatement a = c.prepareStatement("""
                    insert into pull_attempt (window_id, pull_no, kind, started_at, finished_at, status, row_count,
                                              checksum, changed, error, triggered_by)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                a.setLong(1, id);
                a.setInt(2, pullNo);
                a.setString(3, window.kind().name().toLowerCase());
                a.setTimestamp(4, Timestamp.from(pull.startedAt()));
                a.setTimestamp(5, Timestamp.from(pull.finishedAt()));
                a.setString(6, pull.status());
                a.setObject(7, ok ? pull.rows() : null);
                a.setString(8, pull.checksum());
                a.setBoolean(9, changed);
                a.setString(10, pull.error());
                a.setString(11, actor);
                a.executeUpdate();
            }
        }
        return changed;
    }

    /** The content checksum the window has now, if it was ever pulled successfully. */
    public String checksum(Connection c, String source, String endpoint, Instant from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select checksum from pull_window where source = ? and endpoint = ? and window_from = ?")) {
            ps.setString(1, source);
            ps.setString(2, endpoint);
            ps.setTimestamp(3, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Holes and overlaps between consecutive windows (and before the first), and windows left failed. */
    public List<Issue> issues(String source, String endpoint) {
        return issues(windows(source, endpoint), source, endpoint);
    }

    private List<Issue> issues(List<Window> windows, String source, String endpoint) {
        List<Issue> issues = new ArrayList<>();
        Instant expected = start;
        for (Window w : windows) {
            if (w.from().isAfter(expected)) {
                issues.add(new Issue("gap", expected, w.from(), "window gap: [" + expected + ", " + w.from() + ") of "
                        + source + " " + endpoint + " was never pulled"));
            } else if (w.from().isBefore(expected)) {
                issues.add(new Issue("overlap", w.from(), expected, "windows overlap: [" + w.from() + ", " + expected
                        + ") of " + source + " " + endpoint + " was pulled twice"));
            }
            if (w.status().equals("FAILED")) {
                issues.add(new Issue("failed", w.from(), w.to(), "window [" + w.from() + ", " + w.to() + ") of "
                        + source + " " + endpoint + " failed " + w.pulls() + " pull(s): " + w.error()));
            }
            expected = w.to().isAfter(expected) ? w.to() : expected;
        }
        return issues;
    }

    /** Business dates whose day a hole in the tiling touches (their partitions are expected, though nothing landed). */
    public Set<LocalDate> datesWithGaps(Connection c, String source, String endpoint) throws SQLException {
        Set<LocalDate> dates = new LinkedHashSet<>();
        for (Issue issue : issues(windows(c, source, endpoint), source, endpoint)) {
            if (issue.kind().equals("gap") || issue.kind().equals("failed")) {
                for (LocalDate d = LocalDate.ofInstant(issue.from(), ZoneOffset.UTC);
                     d.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(issue.to()); d = d.plusDays(1)) {
                    dates.add(d);
                }
            }
        }
        return dates;
    }

    /** The {@code pull_windows} control of an API dataset's partition: its day is covered by pulled windows only. */
    public ControlResult control(Source source, Dataset dataset, LocalDate date) {
        Instant dayFrom = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        return snapshot(source).control(dayFrom, dayFrom.plus(Duration.ofDays(1)));
    }

    /** The ledger of an API source's endpoint as read once, with its issues: for many spans in a row. */
    public record Snapshot(List<Window> windows, List<Issue> issues) {

        /** The {@code pull_windows} control over {@code [dayFrom, dayTo)}: a day or one micro-batch window. */
        public ControlResult control(Instant dayFrom, Instant dayTo) {
            List<String> reasons = issues.stream().filter(i -> i.touches(dayFrom, dayTo)).map(Issue::detail).toList();
            List<Window> covering = windows.stream()
                    .filter(w -> w.from().isBefore(dayTo) && w.to().isAfter(dayFrom)).toList();
            long pulled = covering.stream().filter(w -> w.status().equals("SUCCEEDED")).count();
            return new ControlResult("pull_windows", "source", "landing", covering.size() + reasons.stream()
                    .filter(r -> r.startsWith("window gap")).count(), 0, pulled, 0, 0, reasons.isEmpty(), reasons,
                    List.of());
        }
    }

    /** Reads an API source's pull-window ledger once. */
    public Snapshot snapshot(Source source) {
        String endpoint = source.endpoint().orElseThrow();
        List<Window> windows = windows(source.name(), endpoint);
        return new Snapshot(windows, issues(windows, source.name(), endpoint));
    }

    public List<Window> windows(String source, String endpoint) {
        try (Connection c = dataSource.getConnection()) {
            return windows(c, source, endpoint);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the pull-window ledger: " + e.getMessage(), e);
        }
    }

    private static List<Window> windows(Connection c, String source, String endpoint) throws SQLException {
        List<Window> windows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, source, endpoint, window_from, window_to, status, row_count, checksum, pulls, object_key,
                       error, first_pulled_at, last_pulled_at, last_changed_at
                from pull_window where source = ? and endpoint = ? order by window_from""")) {
            ps.setString(1, source);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    windows.add(window(rs));
                }
            }
        }
        return windows;
    }

    public List<Attempt> attempts(long windowId) {
        return Jdbc.query(dataSource, """
                select pull_no, kind, started_at, finished_at, status, row_count, checksum, changed, error, triggered_by
                from pull_attempt where window_id = ? order by pull_no""", List.of(windowId),
                rs -> new Attempt(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), (Long) rs.getObject(6), rs.getString(7),
                        rs.getBoolean(8), rs.getString(9), rs.getString(10)));
    }

    private static Window window(ResultSet rs) throws SQLException {
        Timestamp changed = rs.getTimestamp(14);
        return new Window(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getInt(9),
                rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getTimestamp(13).toInstant(),
                changed == null ? null : changed.toInstant());
    }
}
