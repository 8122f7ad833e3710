package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The two lineage halves together: the lineage our own pipeline records for the demo world (DMS,
 * extractor, partner files, RAW loads, dbt) traced from a curated partition down to landing objects
 * whose keys, S3 version IDs and SHA-256 are exactly those the landing ledgers hold.
 */
@QuarkusTest
class DemoWorldTraceTest {

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @Inject
    LineageTraces traces;

    @Test
    void aCuratedPartitionOfTheDemoWorldTracesToTheLandedObjectVersions() {
        fixture.ensureDefaultWorld();
        List<String[]> curated = Jdbc.query(dataSource, """
                select distinct p.dataset, p.partition_key from lineage_run_partition p
                join lineage_run r on r.run_uuid = p.run_uuid join lineage_job j on j.id = r.job_id
                where j.namespace = 'finledger' and j.name like 'dbt.%' and p.partition_key not like '%T%'
                order by 1, 2""", List.of(), rs -> new String[] {rs.getString(1), rs.getString(2)});
        assertFalse(curated.isEmpty(), "the demo world's dbt runs name the partitions they build");
        // the landing ledgers: changes and API windows (landed_object), partner files (partner_file)
        Map<String, String[]> landed = Jdbc.query(dataSource, """
                select object_key, version_id, sha256 from landed_object
                union all
                select object_key, version_id, sha256 from partner_file where sha256 is not null""",
                List.of(), rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3).trim()}).stream()
                .collect(Collectors.toMap(r -> r[0] + "\u0000" + r[1], r -> r, (a, b) -> a));
        int traced = 0;
        for (String[] p : curated) {
            LineageTraces.Trace trace = traces.partition(p[0], p[1], null, 10);
            for (LineageTraces.TraceVersion v : trace.landingObjects()) {
                String[] row = landed.get(v.object().key() + "\u0000" + v.object().versionId());
                assertTrue(row != null, p[0] + " " + p[1] + ": " + v.object() + " is not a landed object version");
                assertEquals(row[2], v.object().sha256(), v.object().key());
                traced++;
            }
            Set<String> days = trace.landingObjects().stream().map(LineageTraces.TraceVersion::name)
                    .collect(Collectors.toSet());
            assertTrue(trace.runs().size() > 1 || days.isEmpty(), p[0] + " " + p[1]);
        }
        assertTrue(traced > 0, "at least one curated partition reaches its landing objects: " + curated.size()
                + " partitions traced");
    }
}
