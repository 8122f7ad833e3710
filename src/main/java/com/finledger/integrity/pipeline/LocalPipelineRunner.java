package com.finledger.integrity.pipeline;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.CatalogService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The whole local pipeline in one run: DMS and the API extractor land changes, partner drops are
 * recorded, RAW loads what is new, then the STAGING and CURATED models are applied. Each step is
 * idempotent, so a second run with no new source changes lands, loads and changes nothing. Runs
 * are serialized across instances with a PostgreSQL advisory lock.
 */
@ApplicationScoped
public class LocalPipelineRunner {

    private static final Logger LOG = Logger.getLogger(LocalPipelineRunner.class);
    private static final long LOCK_ID = 0x46_4c_50_49_50_45L; // "FLPIPE"

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    LocalDms dms;

    @Inject
    ApiExtractor extractor;

    @Inject
    PartnerDropScanner partnerDrops;

    @Inject
    RawLoader rawLoader;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    public record PipelineRun(long id, Instant startedAt, Instant finishedAt, String triggeredBy, int objectsLanded,
                              long rowsLoadedRaw, List<ModelBuilder.ModelResult> models, String status) {

        public long rowsChanged() {
            return models.stream().mapToLong(m -> m.inserted() + m.updated() + m.deleted()).sum();
        }
    }

    public PipelineRun run(String actor) {
        Catalog catalog = catalogService.catalog();
        Path models = catalogService.root().resolve("models");
        Instant started = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_ID);
                lock.execute();
            }
            int landed = 0;
            for (Source source : catalog.sources()) {
                for (Dataset dataset : source.datasets()) {
                    landed += switch (source.kind()) {
                        case POSTGRES_CDC -> dms.land(c, source, dataset);
                        case REST_API -> extractor.extract(c, source, dataset);
                        case PARTNER_FILES -> partnerDrops.scan(c, source, dataset);
                    };
                }
            }
            long rawRows = rawLoader.loadPending(c, catalog);
            List<ModelBuilder.ModelResult> results = new ArrayList<>();
            for (Dataset dataset : catalog.datasets().toList()) {
                rawLoader.ensureTable(c, dataset);
                results.add(ModelBuilder.build(c, models, "staging", dataset.name(), dataset.primaryKey(),
                        ModelBuilder.stagingColumns(dataset)));
            }
            for (CuratedDataset curated : catalog.curated()) {
                results.add(ModelBuilder.build(c, models, "curated", curated.name(), curated.primaryKey(),
                        curated.primaryKey()));
            }
            Instant finished = clock.instant();
            long id = insertRun(c, started, finished, actor, landed, rawRows);
            PipelineRun run = new PipelineRun(id, started, finished, actor, landed, rawRows, results, "SUCCEEDED");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("objects_landed", landed);
            details.put("rows_loaded_raw", rawRows);
            details.put("rows_changed", run.rowsChanged());
            auditLog.append(c, actor, "pipeline.run", "pipeline_run", Long.toString(id), null, details);
            c.commit();
            LOG.infof("pipeline run %d by %s: %d objects landed, %d rows into RAW, %d rows changed in models", id,
                    actor, landed, rawRows, run.rowsChanged());
            return run;
        } catch (SQLException e) {
            throw new IllegalStateException("pipeline run failed: " + e.getMessage(), e);
        }
    }

    /** The latest finished run, if any. */
    public Optional<PipelineRun> lastRun() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select id, started_at, finished_at, triggered_by, objects_landed, rows_loaded_raw, status
                from pipeline_run order by id desc limit 1""");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new PipelineRun(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                    rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getInt(5), rs.getLong(6), List.of(),
                    rs.getString(7)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pipeline runs: " + e.getMessage(), e);
        }
    }

    private static long insertRun(Connection c, Instant started, Instant finished, String actor, int landed,
                                  long rawRows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into pipeline_run (started_at, finished_at, triggered_by, objects_landed, rows_loaded_raw, status)
                values (?, ?, ?, ?, ?, 'SUCCEEDED') returning id""")) {
            ps.setTimestamp(1, Timestamp.from(started));
            ps.setTimestamp(2, Timestamp.from(finished));
            ps.setString(3, actor);
            ps.setInt(4, landed);
            ps.setLong(5, rawRows);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
