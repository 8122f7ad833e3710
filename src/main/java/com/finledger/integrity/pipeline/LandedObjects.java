package com.finledger.integrity.pipeline;

import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ledger of landed objects ({@code landed_object}): one row per object version, never two. */
public final class LandedObjects {

    record Landed(long id, String dataset, LocalDate businessDate, String objectKey, String versionId,
                  Instant arrivedAt) {
    }

    private LandedObjects() {
    }

    /**
     * Records an object version for one business date it holds; a version already recorded for that date is
     * left as it is. Returns whether it was new.
     */
    public static boolean record(Connection c, String dataset, LocalDate businessDate, StoredObject object,
                                 RowTotals totals,
                          Instant recordedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into landed_object (dataset, business_date, object_key, version_id, sha256, size_bytes,
                                           row_count, arrived_at, recorded_at, row_fingerprint, row_amounts)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict (object_key, version_id, business_date) do nothing
                returning id""")) {
            ps.setString(1, dataset);
            ps.setObject(2, businessDate);
            ps.setString(3, object.key());
            ps.setString(4, object.versionId());
            ps.setString(5, object.sha256());
            ps.setLong(6, object.size());
            ps.setLong(7, totals.rows());
            ps.setTimestamp(8, Timestamp.from(object.arrivedAt()));
            ps.setTimestamp(9, Timestamp.from(recordedAt));
            ps.setLong(10, totals.fingerprint());
            ps.setString(11, totals.amounts().toJson());
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getLong(1);
            }
            recordWindows(c, id, totals.windowsOf(businessDate));
            return true;
        }
    }

    private static void recordWindows(Connection c, long landedObjectId, Map<String, RowTotals> windows)
            throws SQLException {
        if (windows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into landed_window (landed_object_id, window_key, row_count, row_fingerprint, row_amounts)
                values (?, ?, ?, ?, ?::jsonb)""")) {
            for (var window : windows.entrySet()) {
                ps.setLong(1, landedObjectId);
                ps.setString(2, window.getKey());
                ps.setLong(3, window.getValue().rows());
                ps.setLong(4, window.getValue().fingerprint());
                ps.setString(5, window.getValue().amounts().toJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static List<Landed> notYetInRaw(Connection c) throws SQLException {
        List<Landed> pending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, dataset, business_date, object_key, version_id, arrived_at
                from landed_object where raw_loaded_at is null order by id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pending.add(new Landed(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
            }
        }
        return pending;
    }

    static void markLoaded(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update landed_object set raw_loaded_at = ? where id = ? and raw_loaded_at is null")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Micro-batch windows that objects recorded since a moment hold rows of, per dataset. */
    static Map<String, java.util.Set<String>> windowsRecordedSince(Connection c, Instant since) throws SQLException {
        Map<String, java.util.Set<String>> windows = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct o.dataset, w.window_key from landed_window w
                join landed_object o on o.id = w.landed_object_id
                where o.recorded_at >= ? order by 1, 2""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    windows.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return windows;
    }

    /** Objects recorded since a moment, counted per dataset and business date. */
    static Map<String, Map<LocalDate, Long>> partitionsRecordedSince(Connection c, Instant since) throws SQLException {
        Map<String, Map<LocalDate, Long>> partitions = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select dataset, business_date, count(*) from landed_object where recorded_at >= ?
                group by 1, 2 order by 1, 2""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    partitions.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>())
                            .put(rs.getObject(2, LocalDate.class), rs.getLong(3));
                }
            }
        }
        return partitions;
    }
}
