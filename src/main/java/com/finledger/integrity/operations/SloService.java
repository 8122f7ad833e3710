package com.finledger.integrity.operations;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Freshness SLOs per dataset and layer from the catalog ({@code freshness}: operations PT10M, finance PT2H):
 * the lag of a layer is the time since its latest control total was captured; end-to-end latency is, for a
 * dataset's latest curated partition, curated capture minus landing capture. Samples are kept so the
 * error-budget burn over the window can be computed (burn 1.0 = spending the budget exactly).
 */
@ApplicationScoped
public class SloService {

    public record Measurement(String dataset, String layer, Instant lastAt, Duration lag, Duration target,
                              boolean breached) {
    }

    public record Latency(String dataset, String partitionKey, Duration latency, Duration target, boolean breached) {
    }

    public record Burn(String dataset, String layer, long samples, long breached, double burnRate) {
    }

    @Inject
    CatalogService catalog;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.slo.objective", defaultValue = "0.99")
    double objective;

    @ConfigProperty(name = "finledger.slo.window", defaultValue = "P30D")
    Duration window;

    private Map<String, Duration> targets() {
        Map<String, Duration> targets = new HashMap<>();
        catalog.catalog().datasets().forEach(d -> targets.put(d.name(), d.freshness()));
        for (Catalog.CuratedDataset c : catalog.catalog().curated()) {
            targets.put(c.name(), c.freshness());
        }
        return targets;
    }

    /** Lag per dataset and layer that has any data, at {@code now}. */
    public List<Measurement> measure(Instant now) {
        Map<String, Duration> targets = targets();
        List<Measurement> out = new ArrayList<>();
        for (var row : Jdbc.query(dataSource, """
                select dataset, layer, max(computed_at) from control_total group by dataset, layer order by 1, 2""",
                List.of(), rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()})) {
            String dataset = (String) row[0];
            Duration target = targets.get(dataset);
            if (target == null) {
                continue;
            }
            Instant last = (Instant) row[2];
            Duration lag = Duration.between(last, now).isNegative() ? Duration.ZERO : Duration.between(last, now);
            out.add(new Measurement(dataset, (String) row[1], last, lag, target, lag.compareTo(target) > 0));
        }
        return out;
    }

    /**
     * End-to-end latency of each curated dataset's latest partition: when its curated totals were first captured
     * minus when the earliest of the landed datasets it is built from (through curated ones, for balances) was
     * first captured at landing, for the same partition. (Curated and landing totals live under different dataset
     * names: the curated table's and its sources'.)
     */
    public List<Latency> latency() {
        List<Latency> out = new ArrayList<>();
        Catalog world = catalog.catalog();
        for (Catalog.CuratedDataset c : world.curated()) {
            java.util.Set<String> sources = world.landedSources(c.name());
            if (sources.isEmpty()) {
                continue;
            }
            List<Object> params = new ArrayList<>();
            params.add(c.name());
            params.addAll(sources);
            String in = String.join(", ", java.util.Collections.nCopies(sources.size(), "?"));
            Duration target = c.freshness();
            out.addAll(Jdbc.query(dataSource, """
                    select cur.partition_key, (extract(epoch from (cur.first_at - land.first_at)) * 1000000)::bigint
                    from (select partition_key, min(computed_at) first_at from control_total
                          where dataset = ? and layer = 'curated' group by partition_key) cur
                    join (select partition_key, min(computed_at) first_at from control_total
                          where layer = 'landing' and dataset in (%s) group by partition_key) land
                      on land.partition_key = cur.partition_key
                    order by cur.partition_key desc limit 1""".formatted(in), params, rs -> {
                Duration latency = Duration.of(Math.max(0, rs.getLong(2)), java.time.temporal.ChronoUnit.MICROS);
                return new Latency(c.name(), rs.getString(1), latency, target, latency.compareTo(target) > 0);
            }));
        }
        out.sort(java.util.Comparator.comparing(Latency::dataset));
        return out;
    }

    /** Measures now and keeps the samples (one per dataset, layer and instant). */
    public List<Measurement> sample() {
        Instant now = clock.instant();
        List<Measurement> measured = measure(now);
        try (var c = dataSource.getConnection()) {
            for (Measurement m : measured) {
                Jdbc.update(c, """
                        insert into slo_sample (dataset, layer, measured_at, lag_seconds, target_seconds, breached)
                        values (?, ?, ?, ?, ?, ?) on conflict do nothing""", List.of(m.dataset(), m.layer(),
                        Timestamp.from(now), m.lag().toSeconds(), m.target().toSeconds(), m.breached()));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot keep SLO samples: " + e.getMessage(), e);
        }
        return measured;
    }

    /** Error-budget burn per dataset and layer over the window ending at {@code now}. */
    public List<Burn> burn(Instant now) {
        double budget = 1.0 - objective;
        return Jdbc.query(dataSource, """
                select dataset, layer, count(*), count(*) filter (where breached) from slo_sample
                where measured_at > ? and measured_at <= ? group by dataset, layer order by 1, 2""",
                List.of(Timestamp.from(now.minus(window)), Timestamp.from(now)), rs -> {
                    long n = rs.getLong(3);
                    long bad = rs.getLong(4);
                    return new Burn(rs.getString(1), rs.getString(2), n, bad, n == 0 ? 0 : (bad / (double) n) / budget);
                });
    }
}
