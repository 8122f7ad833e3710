package com.finledger.integrity.operations;

import com.finledger.integrity.platform.Jdbc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Prometheus gauges of the pipeline's state, refreshed by the alert schedule (never computed at scrape
 * time): records in and out per layer (latest control results), SLO lag per dataset and layer, failed
 * rules and open breaks, firing alerts, failed jobs. API latency is Quarkus' own {@code http_server_requests}.
 */
@ApplicationScoped
public class OperationsMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    private MultiGauge recordsIn;
    private MultiGauge recordsOut;
    private MultiGauge lag;
    private final AtomicLong ruleFailures = new AtomicLong();
    private final AtomicLong openBreaks = new AtomicLong();
    private final AtomicLong alertsFiring = new AtomicLong();
    private final AtomicLong jobsFailed = new AtomicLong();

    private synchronized void register() {
        if (recordsIn != null) {
            return;
        }
        recordsIn = MultiGauge.builder("finledger_layer_records_in").description("rows into a layer, latest controls")
                .register(registry);
        recordsOut = MultiGauge.builder("finledger_layer_records_out").description("rows out of a layer, latest controls")
                .register(registry);
        lag = MultiGauge.builder("finledger_slo_lag_seconds").description("time since a layer last got data")
                .register(registry);
        Gauge.builder("finledger_rule_failures", ruleFailures, AtomicLong::get)
                .description("failed rules in partitions' latest evaluations").register(registry);
        Gauge.builder("finledger_breaks_open", openBreaks, AtomicLong::get).description("open breaks")
                .register(registry);
        Gauge.builder("finledger_alerts_firing", alertsFiring, AtomicLong::get).register(registry);
        Gauge.builder("finledger_pipeline_jobs_failed", jobsFailed, AtomicLong::get).register(registry);
    }

    public void refresh(List<SloService.Measurement> slo) {
        register();
        record Flow(String from, String to, long in, long out) {
        }
        List<Flow> flows = Jdbc.query(dataSource, """
                select cr.from_layer, cr.to_layer, sum(cr.in_rows), sum(cr.out_rows) from control_result cr
                join partition_readiness pr on pr.last_evaluation_id = cr.evaluation_id
                group by 1, 2""", List.of(), rs -> new Flow(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4)));
        recordsIn.register(flows.stream().map(f -> MultiGauge.Row.of(Tags.of("layer", f.to(), "from", f.from()),
                f.in())).toList(), true);
        recordsOut.register(flows.stream().map(f -> MultiGauge.Row.of(Tags.of("layer", f.to(), "from", f.from()),
                f.out())).toList(), true);
        lag.register(slo.stream().map(m -> MultiGauge.Row.of(Tags.of("dataset", m.dataset(), "layer", m.layer()),
                m.lag().toSeconds())).toList(), true);
        ruleFailures.set(count("""
                select count(*) from rule_result rr join partition_readiness pr on pr.last_evaluation_id = rr.evaluation_id
                where not rr.passed"""));
        openBreaks.set(count("select count(*) from break_case where state in ('OPEN', 'INVESTIGATING')"));
        alertsFiring.set(count("select count(*) from alert where state = 'FIRING'"));
        jobsFailed.set(count("select count(*) from pipeline_job where state in ('FAILED', 'TIMEOUT', 'ERROR')"));
    }

    private long count(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }
}
