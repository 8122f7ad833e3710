package com.finledger.integrity.intake;

import com.finledger.integrity.platform.CrashPoints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.PartnerDrop;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.pipeline.LandedObjects;
import com.finledger.integrity.readiness.ReadinessCache;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every partner file accounted for, exactly once. An object is first <em>received</em> (from its S3
 * event, the inventory sweep, or an operator's replay) into the file ledger — once per bucket, key
 * and version, however often it is announced — and then <em>processed</em>: validated against its
 * contract in one streaming pass, then ACCEPTED (recorded at the landing layer with the totals
 * computed while parsing, so RAW loads it), QUARANTINED whole with the reasons, or DUPLICATE (same
 * bytes as a file already accepted: not loaded twice). A different file for a business date that
 * already has one is a corrected resend and supersedes it; a file for a partition that was ready
 * re-opens it (LATE). Each decision is one transaction, so a crash mid-file leaves the file to be
 * processed again to the same result.
 */
@ApplicationScoped
public class PartnerFileIntake {

    private static final Logger LOG = Logger.getLogger(PartnerFileIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStore objectStore;

    @Inject
    CatalogService catalogService;

    @Inject
    AuditLog auditLog;

    @Inject
    ReadinessService readiness;

    @Inject
    ReadinessCache readinessCache;

    @Inject
    Clock clock;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Inject
    com.finledger.integrity.lineage.OwnLineage ownLineage;

    @ConfigProperty(name = "finledger.intake.bucket", defaultValue = "finledger-landing")
    String bucket;

    /** An object as an S3 event (or a listing) describes it. */
    public record ObjectRef(String bucket, String key, String versionId, long size, String etag, Instant arrivedAt) {

        public static ObjectRef of(String bucket, StoredObject o) {
            return new ObjectRef(bucket, o.key(), o.versionId(), o.size(), o.sha256(), o.arrivedAt());
        }
    }

    public record PartnerFile(long id, String bucket, String key, String versionId, long size, String sha256,
                              String partner, String dataset, LocalDate businessDate, Instant arrivedAt,
                              Instant receivedAt, String receivedVia, String state, boolean late, String reason,
                              String errorsJson, Long rowCount, String amountsJson, String declaredJson,
                              Long duplicateOf, Long supersededBy, Long replayOf) {
    }

    public String bucket() {
        return bucket;
    }

    /** The partner source whose drop prefix holds this key, if any. */
    public Optional<Source> partnerOf(String key) {
        return catalogService.catalog().sources().stream().filter(s -> s.kind() == SourceKind.PARTNER_FILES)
                .filter(s -> key.startsWith(s.partnerDrop().orElseThrow().dropPrefix())).findFirst();
    }

    /**
     * Records an object in the file ledger (once per bucket/key/version) and processes it. Returns
     * the file, or empty for an object outside every partner's drop prefix (not ours to take).
     */
    public Optional<PartnerFile> take(ObjectRef ref, String via, String actor) {
        Optional<Long> id = receive(ref, via, null);
        id.ifPresent(i -> process(i, actor));
        return id.map(this::find).map(Optional::orElseThrow);
    }

    Optional<Long> receive(ObjectRef ref, String via, Long replayOf) {
        Optional<Source> source = partnerOf(ref.key());
        if (source.isEmpty()) {
            LOG.warnf("object %s/%s is outside every partner drop prefix; not taken", ref.bucket(), ref.key());
            return Optional.empty();
        }
        Dataset dataset = source.get().datasets().get(0);
        PartnerDrop drop = source.get().partnerDrop().orElseThrow();
        String name = ref.key().substring(drop.dropPrefix().length());
        Matcher m = fileNamePattern(drop).matcher(name);
        LocalDate businessDate = m.matches() ? LocalDate.parse(m.group("date"), DateTimeFormatter.BASIC_ISO_DATE) : null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into partner_file (bucket, object_key, version_id, size_bytes, etag, partner, dataset,
                                          business_date, arrived_at, received_at, received_via, state, replay_of)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED', ?)
                on conflict (bucket, object_key, version_id) do nothing returning id""")) {
            ps.setString(1, ref.bucket());
            ps.setString(2, ref.key());
            ps.setString(3, ref.versionId());
            ps.setLong(4, ref.size());
            ps.setString(5, ref.etag());
            ps.setString(6, source.get().name());
            ps.setString(7, dataset.name());
            ps.setObject(8, businessDate);
            ps.setTimestamp(9, Timestamp.from(ref.arrivedAt()));
            ps.setTimestamp(10, Timestamp.from(clock.instant()));
            ps.setString(11, via);
            ps.setObject(12, replayOf);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(rs.getLong(1));
                }
            }
            return Optional.of(idOf(c, ref));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record partner file " + ref.key() + ": " + e.getMessage(), e);
        }
    }

    private static long idOf(Connection c, ObjectRef ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select id from partner_file where bucket = ? and object_key = ? and version_id = ?")) {
            ps.setString(1, ref.bucket());
            ps.setString(2, ref.key());
            ps.setString(3, ref.versionId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Validates and decides a received file; a file already decided is left as it is. */
    public void process(long id, String actor) {
        PartnerFile file = find(id).orElseThrow();
        if (!file.state().equals("RECEIVED") && !file.state().equals("VALIDATING")) {
            return;
        }
        Source source = catalogService.catalog().source(file.partner());
        Dataset dataset = source.datasets().get(0);
        PartnerDrop drop = source.partnerDrop().orElseThrow();
        StoredObject object = new StoredObject(file.key(), file.versionId(), file.size(), null, file.arrivedAt(),
                Map.of());
        Instant started = clock.instant();
        try (InputStream in = objectStore.open(object)) {
            process(file, dataset, drop, object, in, actor);
            // lineage of the file and the decision just committed (never fails the intake; the sweep retries)
            ownLineage.recordSince(started, "intake");
        } catch (IOException e) {
            // the object could not be read through: nothing decided, the file is taken up again
            throw new IllegalStateException("cannot read " + file.key() + ": " + e.getMessage(), e);
        }
    }

    void process(PartnerFile file, Dataset dataset, PartnerDrop drop, StoredObject object, InputStream in,
                 String actor) throws IOException {
        setState(file.id(), "VALIDATING");
        decide(file, dataset, object, PartnerFileParser.parse(in, drop, dataset, file.arrivedAt(), null), actor);
    }

    private void decide(PartnerFile file, Dataset dataset, StoredObject object, PartnerFileParser.Result result,
                        String actor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("select state from partner_file where id = ? for update")) {
                lock.setLong(1, file.id());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getString(1).equals("VALIDATING")) {
                        c.rollback();
                        return; // another instance decided it meanwhile
                    }
                }
            }
            List<String> errors = new ArrayList<>();
            result.problems().forEach(p -> errors.add(p.toString()));
            if (result.moreProblems() > 0) {
                errors.add("… and " + result.moreProblems() + " more problems");
            }
            String state;
            String reason;
            Long duplicateOf = null;
            if (file.businessDate() == null) {
                state = "QUARANTINED";
                reason = "the file name does not match " + catalogService.catalog().source(file.partner())
                        .partnerDrop().orElseThrow().filePattern();
            } else if (!result.valid()) {
                state = "QUARANTINED";
                reason = result.summary();
            } else if ((duplicateOf = acceptedWithSameContent(c, file, result.sha256())) != null) {
                state = "DUPLICATE";
                reason = "same content (SHA-256) as file " + duplicateOf + "; not loaded again";
            } else {
                state = "ACCEPTED";
                reason = null;
            }
            boolean late = false;
            if (state.equals("ACCEPTED")) {
                late = readiness.find(file.dataset(), file.businessDate().toString())
                        .map(r -> r.state() == ReadinessState.READY || r.state() == ReadinessState.READY_WITH_EXCEPTION)
                        .orElse(false);
                StoredObject landed = new StoredObject(object.key(), object.versionId(), result.bytes(),
                        result.sha256(), file.arrivedAt(), Map.of("partner", file.partner()));
                LandedObjects.record(c, dataset.name(), file.businessDate(), landed, result.totals(), clock.instant());
                for (long earlier : supersedable(c, file)) {
                    supersede(c, earlier, file, actor);
                }
                Long newer = newerAccepted(c, file);
                if (newer != null) {
                    // its event came after the correction's: the correction still wins
                    supersede(c, file.id(), find(newer).orElseThrow(), actor);
                }
                if (late) {
                    readiness.dataArrived(c, file.dataset(), file.businessDate().toString(), actor,
                            "partner file " + file.key() + " arrived after the partition was ready");
                }
            }
            update(c, file.id(), state, late, reason, errors, result, duplicateOf);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("object_key", file.key());
            details.put("version_id", file.versionId());
            details.put("sha256", result.sha256());
            details.put("rows", result.rows());
            details.put("late", late);
            if (reason != null) {
                details.put("reason", reason);
            }
            auditLog.append(c, actor, "partner_file." + state.toLowerCase(), "partner_file", Long.toString(file.id()),
                    reason, details);
            CrashPoints.reach(CrashPoints.PARTNER_FILE_DECIDED);
            c.commit();
            if (late) {
                readinessCache.invalidate(file.dataset(), file.businessDate().toString());
            }
            metrics.counter("finledger_partner_files_decided", "partner", file.partner(), "state", state,
                    "late", Boolean.toString(late)).increment();
            LOG.infof("partner file %s (version %s): %s%s", file.key(), file.versionId(), state,
                    reason == null ? "" : " — " + reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot decide partner file " + file.key() + ": " + e.getMessage(), e);
        }
    }

    private static Long acceptedWithSameContent(Connection c, PartnerFile file, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select min(id) from partner_file where dataset = ? and sha256 = ? and state = 'ACCEPTED' and id <> ?""")) {
            ps.setString(1, file.dataset());
            ps.setString(2, sha256);
            ps.setLong(3, file.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    /** Accepted files of the same business date that this one corrects. */
    private static List<Long> supersedable(Connection c, PartnerFile file) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id from partner_file where dataset = ? and business_date = ? and state = 'ACCEPTED'
                  and superseded_by is null and id <> ? and arrived_at <= ? order by id""")) {
            ps.setString(1, file.dataset());
            ps.setObject(2, file.businessDate());
            ps.setLong(3, file.id());
            ps.setTimestamp(4, Timestamp.from(file.arrivedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Long newerAccepted(Connection c, PartnerFile file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select min(id) from partner_file where dataset = ? and business_date = ? and state = 'ACCEPTED'
                  and superseded_by is null and id <> ? and arrived_at > ?""")) {
            ps.setString(1, file.dataset());
            ps.setObject(2, file.businessDate());
            ps.setLong(3, file.id());
            ps.setTimestamp(4, Timestamp.from(file.arrivedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    private void supersede(Connection c, long earlier, PartnerFile by, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update partner_file set superseded_by = ? where id = ?")) {
            ps.setLong(1, by.id());
            ps.setLong(2, earlier);
            ps.executeUpdate();
        }
        auditLog.append(c, actor, "partner_file.superseded", "partner_file", Long.toString(earlier),
                "corrected resend " + by.key() + " for business date " + by.businessDate(),
                Map.of("superseded_by", by.id(), "object_key", by.key()));
    }

    private void update(Connection c, long id, String state, boolean late, String reason, List<String> errors,
                        PartnerFileParser.Result result, Long duplicateOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update partner_file set state = ?, late = ?, reason = ?, errors = ?::jsonb, sha256 = ?, row_count = ?,
                    amounts = ?::jsonb, fingerprint = ?, declared = ?::jsonb, duplicate_of = ?, decided_at = ?
                where id = ?""")) {
            ps.setString(1, state);
            ps.setBoolean(2, late);
            ps.setString(3, reason);
            ps.setString(4, json(errors));
            ps.setString(5, result.sha256());
            ps.setLong(6, result.totals().rows());
            ps.setString(7, result.totals().amounts().toJson());
            ps.setLong(8, result.totals().fingerprint());
            ps.setString(9, result.declared() == null ? null : json(result.declared()));
            ps.setObject(10, duplicateOf);
            ps.setTimestamp(11, Timestamp.from(clock.instant()));
            ps.setLong(12, id);
            ps.executeUpdate();
        }
    }

    private void setState(long id, String state) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update partner_file set state = ? where id = ? and state in ('RECEIVED', 'VALIDATING')")) {
            ps.setString(1, state);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files received but not decided (a crash, a read failure): processed again. Returns how many. */
    public int resume(String actor) {
        List<Long> open = com.finledger.integrity.platform.Jdbc.query(dataSource,
                "select id from partner_file where state in ('RECEIVED', 'VALIDATING') order by id", List.of(),
                rs -> rs.getLong(1));
        int done = 0;
        for (long id : open) {
            try {
                process(id, actor);
                done++;
            } catch (RuntimeException e) {
                LOG.errorf("partner file %d could not be processed: %s", id, e.getMessage());
            }
        }
        return done;
    }

    /**
     * The inventory sweep: lists each partner's drop prefix and takes every object version the ledger
     * has not seen (its event was lost, or there are no events, as on this machine). Returns the files taken.
     */
    public List<PartnerFile> sweep(String actor) {
        resume(actor);
        List<PartnerFile> taken = new ArrayList<>();
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() == SourceKind.PARTNER_FILES) {
                taken.addAll(sweepDrop(source, actor));
            }
        }
        return taken;
    }

    /** The sweep of one partner's drop prefix (after taking up files left undecided). */
    public List<PartnerFile> sweep(Source source, String actor) {
        resume(actor);
        return sweepDrop(source, actor);
    }

    private List<PartnerFile> sweepDrop(Source source, String actor) {
        List<PartnerFile> taken = new ArrayList<>();
        for (StoredObject object : objectStore.list(source.partnerDrop().orElseThrow().dropPrefix())) {
            ObjectRef ref = ObjectRef.of(bucket, object);
            if (!known(ref)) {
                // S3's listing gives the last-modified time; an arrival recorded when the object was put
                // (its metadata) is only on the object's HEAD
                StoredObject described = objectStore.head(object.key())
                        .filter(h -> h.versionId().equals(object.versionId())).orElse(object);
                take(ObjectRef.of(bucket, described), "sweep", actor).ifPresent(taken::add);
            }
        }
        return taken;
    }

    private boolean known(ObjectRef ref) {
        return !com.finledger.integrity.platform.Jdbc.query(dataSource,
                "select 1 from partner_file where bucket = ? and object_key = ? and version_id = ?",
                List.of(ref.bucket(), ref.key(), ref.versionId()), rs -> 1).isEmpty();
    }

    /**
     * Replays a quarantined file after the partner (or operations) put a corrected version in place:
     * the current version of its key is taken as a new file, linked to the one it replays. Audited.
     */
    public PartnerFile replay(long id, String actor, String reason) {
        PartnerFile original = find(id).orElseThrow(() -> new java.util.NoSuchElementException("no partner file " + id));
        if (!original.state().equals("QUARANTINED")) {
            throw new IllegalArgumentException("only a quarantined file can be replayed; file " + id + " is "
                    + original.state());
        }
        StoredObject current = objectStore.head(original.key()).orElseThrow(() -> new IllegalArgumentException(
                "the object " + original.key() + " is no longer in the bucket"));
        ObjectRef ref = ObjectRef.of(original.bucket(), current);
        if (current.versionId().equals(original.versionId())) {
            throw new IllegalArgumentException("the object still holds the quarantined version " + original.versionId()
                    + "; put the corrected file first");
        }
        long replayId = receive(ref, "replay", id).orElseThrow();
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, "partner_file.replay", "partner_file", Long.toString(id), reason,
                    Map.of("replayed_as", replayId, "version_id", current.versionId()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        process(replayId, actor);
        return find(replayId).orElseThrow();
    }

    public Optional<PartnerFile> find(long id) {
        List<PartnerFile> files = list("where id = ?", List.of(id), 1);
        return files.stream().findFirst();
    }

    /** Files by partner, business date and state (each filter optional), newest first. */
    public List<PartnerFile> search(String partner, LocalDate date, String state, int limit) {
        return search(partner, date, state, null, limit);
    }

    /** Newest first; {@code before} (a file id) pages back through older files. */
    public List<PartnerFile> search(String partner, LocalDate date, String state, Long before, int limit) {
        StringBuilder where = new StringBuilder("where true");
        List<Object> params = new ArrayList<>();
        if (before != null) {
            where.append(" and id < ?");
            params.add(before);
        }
        if (partner != null && !partner.isBlank()) {
            where.append(" and partner = ?");
            params.add(partner);
        }
        if (date != null) {
            where.append(" and business_date = ?");
            params.add(date);
        }
        if (state != null && !state.isBlank()) {
            where.append(" and state = ?");
            params.add(state);
        }
        return list(where.toString(), params, limit);
    }

    private List<PartnerFile> list(String where, List<Object> params, int limit) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        return com.finledger.integrity.platform.Jdbc.query(dataSource, """
                select id, bucket, object_key, version_id, size_bytes, sha256, partner, dataset, business_date,
                       arrived_at, received_at, received_via, state, late, reason, errors::text, row_count,
                       amounts::text, declared::text, duplicate_of, superseded_by, replay_of
                from partner_file %s order by id desc limit ?""".formatted(where), all,
                rs -> new PartnerFile(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9, LocalDate.class),
                        rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant(), rs.getString(12),
                        rs.getString(13), rs.getBoolean(14), rs.getString(15), rs.getString(16),
                        (Long) rs.getObject(17), rs.getString(18), rs.getString(19), (Long) rs.getObject(20),
                        (Long) rs.getObject(21), (Long) rs.getObject(22)));
    }

    public static Pattern fileNamePattern(PartnerDrop drop) {
        String[] parts = drop.filePattern().split("\\{business_date:yyyyMMdd}", -1);
        return Pattern.compile(parts[0] + "(?<date>\\d{8})" + parts[1]);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
