package com.finledger.integrity.readiness;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.SlaClass;
import com.finledger.integrity.catalog.CatalogService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Evaluates open partitions on each dataset's cadence: every few minutes for operations datasets,
 * daily for finance. The schedules live in Quartz's JDBC job store with clustering on, so with
 * several instances each run fires on one of them; the per-partition lock in
 * {@link PartitionEvaluator} covers evaluations started any other way.
 */
@ApplicationScoped
public class EvaluationScheduler {

    private static final Logger LOG = Logger.getLogger(EvaluationScheduler.class);

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    PartitionEvaluator evaluator;

    @Scheduled(identity = "ops-evaluation", every = "${finledger.readiness.ops-every:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void opsCadence() {
        evaluateOpen(SlaClass.OPS, "system:scheduler");
    }

    @Scheduled(identity = "finance-evaluation", cron = "${finledger.readiness.finance-cron:0 30 6 * * ?}",
            timeZone = "Europe/London", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void financeCadence() {
        evaluateOpen(SlaClass.FINANCE, "system:scheduler");
    }

    /**
     * Evaluates every partition of the given SLA class that is not settled (anything but READY and
     * READY_WITH_EXCEPTION), source datasets before the curated ones built from them.
     */
    public int evaluateOpen(SlaClass slaClass, String actor) {
        Catalog catalog = catalogService.catalog();
        List<String> order = new ArrayList<>();
        catalog.datasets().filter(d -> slaClass == null || d.slaClass() == slaClass).forEach(d -> order.add(d.name()));
        catalog.curated().stream().filter(c -> slaClass == null || c.slaClass() == slaClass)
                .forEach(c -> order.add(c.name()));
        Map<String, List<LocalDate>> open = openPartitions();
        int evaluated = 0;
        for (String dataset : order) {
            for (LocalDate date : open.getOrDefault(dataset, List.of())) {
                try {
                    evaluator.evaluate(dataset, date, actor);
                    evaluated++;
                } catch (RuntimeException e) {
                    // one failing partition must not starve the others; it stays open and is retried
                    LOG.errorf(e, "evaluation of %s %s failed", dataset, date);
                }
            }
        }
        return evaluated;
    }

    private Map<String, List<LocalDate>> openPartitions() {
        Map<String, List<LocalDate>> open = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select dataset, partition_key from partition_readiness
                where state not in ('READY', 'READY_WITH_EXCEPTION') order by dataset, partition_key""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                // a micro-batch window is evaluated with (and as part of) its business date
                LocalDate date = LocalDate.parse(rs.getString(2).substring(0, 10));
                List<LocalDate> dates = open.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (!dates.contains(date)) {
                    dates.add(date);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return open;
    }
}
