package com.finledger.integrity.readiness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;

/** What the last evaluation of a partition found: controls, rules and control totals, as stored. */
@ApplicationScoped
public class PartitionDetail {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    public record ControlRow(String name, String fromLayer, String toLayer, long in, long redelivered, long out,
                             long quarantined, long deduplicated, boolean balanced, List<String> reasons,
                             List<String> firstDifferingKeys) {
    }

    public record RuleRow(String name, String type, String severity, boolean passed, long failedRows,
                          long releasedRows, String message) {
    }

    public record TotalRow(String layer, int version, long rowCount, Long distinctKeys, String amounts,
                           long duplicateRows, long supersededRows, long deletedKeys) {
    }

    public List<ControlRow> controls(long evaluationId) {
        return query("""
                select control_name, from_layer, to_layer, in_rows, redelivered_rows, out_rows, quarantined_rows,
                       deduplicated_rows, balanced, reasons::text, first_differing_keys::text
                from control_result where evaluation_id = ? order by id""", evaluationId, rs -> new ControlRow(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getBoolean(9), list(rs.getString(10)), list(rs.getString(11))));
    }

    public List<RuleRow> rules(long evaluationId) {
        return query("""
                select rule_name, rule_type, severity, passed, failed_rows, released_rows, message
                from rule_result where evaluation_id = ? order by passed, severity, rule_name""", evaluationId,
                rs -> new RuleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7)));
    }

    public List<TotalRow> totals(long evaluationId) {
        return query("""
                select layer, version, row_count, distinct_keys, coalesce(amounts, row_amounts)::text, duplicate_rows,
                       superseded_rows, deleted_keys
                from control_total where evaluation_id = ? order by id""", evaluationId, rs -> new TotalRow(
                rs.getString(1), rs.getInt(2), rs.getLong(3), (Long) rs.getObject(4),
                Amounts.fromJson(rs.getString(5)).toString(), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
    }

    private <T> List<T> query(String sql, long evaluationId, Jdbc.RowMapper<T> mapper) {
        return Jdbc.query(dataSource, sql, List.of(evaluationId), mapper);
    }

    static List<String> list(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
