package com.finledger.integrity.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where the generated world placed its defects ({@code demo_injected_fault}). The local stand-ins
 * for DMS and the processor APIs read it to misbehave exactly where the world says they do.
 */
@ApplicationScoped
public class DemoScript {

    @Inject
    DataSource dataSource;

    public record Fault(Defect defect, String dataset, LocalDate businessDate, String detailJson) {
    }

    public Optional<Fault> fault(Defect defect) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select dataset, business_date, detail::text from demo_injected_fault where defect = ?")) {
            ps.setString(1, defect.slug());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Fault(defect, rs.getString(1), rs.getObject(2, LocalDate.class),
                        rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the demo script: " + e.getMessage(), e);
        }
    }

    /** The change-sequence range a DMS restart replays, if the world has one for this dataset. */
    public Optional<long[]> dmsRestartReplay(String dataset) {
        return fault(Defect.CDC_RESTART_DUPLICATES).filter(f -> f.dataset().equals(dataset)).map(f -> {
            var node = readTree(f.detailJson());
            return new long[] {node.get("from_change_seq").asLong(), node.get("to_change_seq").asLong()};
        });
    }

    /** The change-sequence range DMS never captures (its task resumed past it), if the world has one. */
    public Optional<long[]> dmsSkippedRange(String dataset) {
        return fault(Defect.SKIPPED_CHANGE_RANGE).filter(f -> f.dataset().equals(dataset)).map(f -> {
            var node = readTree(f.detailJson());
            return new long[] {node.get("from_change_seq").asLong(), node.get("to_change_seq").asLong()};
        });
    }

    /** Whether the extractor's scheduled advance skips this window of this processor source. */
    public boolean apiWindowSkipped(String source, java.time.Instant windowFrom) {
        return fault(Defect.API_WINDOW_GAP).map(f -> readTree(f.detailJson()))
                .filter(n -> n.get("source").asText().equals(source)
                        && java.time.Instant.parse(n.get("window_from").asText()).equals(windowFrom))
                .isPresent();
    }

    public boolean schemaDriftOn(String dataset, LocalDate businessDate) {
        return fault(Defect.SCHEMA_DRIFT)
                .filter(f -> f.dataset().equals(dataset) && f.businessDate().equals(businessDate)).isPresent();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
