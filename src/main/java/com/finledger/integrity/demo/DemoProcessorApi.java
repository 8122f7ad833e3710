package com.finledger.integrity.demo;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.pipeline.ProcessorApi;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two processors' transaction APIs as the demo world serves them: keyset-paginated pages from
 * the processors' own tables (in their own databases, see {@link DemoSources}), including the schema drift the world may inject.
 */
@ApplicationScoped
@Typed(DemoProcessorApi.class)
public class DemoProcessorApi implements ProcessorApi {

    @Inject
    DemoSources sources;

    @Inject
    CatalogService catalogService;

    @Inject
    DemoScript script;

    @Override
    public Page fetch(String sourceName, Instant from, Instant to, Optional<String> pageToken, int pageSize) {
        Dataset dataset = catalogService.catalog().source(sourceName).datasets().get(0);
        return page(sourceName, Sql.ident(dataset.changeSequence()) + " >= ? and " + Sql.ident(dataset.changeSequence())
                + " < ?", List.of(Timestamp.from(from), Timestamp.from(to)), pageToken, pageSize);
    }

    @Override
    public Page fetchBusinessDate(String sourceName, LocalDate date, Optional<String> pageToken, int pageSize) {
        Dataset dataset = catalogService.catalog().source(sourceName).datasets().get(0);
        return page(sourceName, Sql.ident(dataset.businessDate()) + " = ?", List.of(date), pageToken, pageSize);
    }

    private Page page(String sourceName, String selection, List<Object> parameters, Optional<String> pageToken,
                      int pageSize) {
        Source source = catalogService.catalog().source(sourceName);
        Dataset dataset = source.datasets().get(0);
        String key = dataset.primaryKey().get(0);
        String sql = "select * from " + Sql.qualified(source.schema(), dataset.table()) + " where " + selection
                + " and " + Sql.ident(key) + " > ? order by " + Sql.ident(key) + " limit ?";
        try (Connection c = sources.of(source).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int at = 1;
            for (Object parameter : parameters) {
                ps.setObject(at++, parameter);
            }
            ps.setString(at++, pageToken.orElse(""));
            ps.setInt(at, pageSize + 1);
            List<Map<String, Object>> records = new ArrayList<>();
            Map<LocalDate, Boolean> drifted = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                var meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> record = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof Timestamp ts) {
                            value = ts.toInstant().toString();
                        } else if (value instanceof java.sql.Date d) {
                            value = d.toLocalDate().toString();
                        }
                        record.put(meta.getColumnName(i), value);
                    }
                    records.add(record);
                }
            }
            boolean more = records.size() > pageSize;
            if (more) {
                records.remove(pageSize);
            }
            Optional<String> next = more ? Optional.of((String) records.get(pageSize - 1).get(key)) : Optional.empty();
            List<Map<String, Object>> rendered = new ArrayList<>(records.size());
            for (Map<String, Object> record : records) {
                LocalDate date = LocalDate.parse(record.get("business_date").toString());
                boolean drift = drifted.computeIfAbsent(date, d -> script.schemaDriftOn(dataset.name(), d));
                rendered.add(drift ? drift(record) : record);
            }
            return new Page(rendered, next);
        } catch (SQLException e) {
            throw new IllegalStateException("processor API " + sourceName + " failed: " + e.getMessage(), e);
        }
    }

    /** The drifted response shape: 'currency' renamed to 'currency_code', 'surcharge_minor' added. */
    private static Map<String, Object> drift(Map<String, Object> record) {
        Map<String, Object> drifted = new LinkedHashMap<>();
        record.forEach((k, v) -> drifted.put(k.equals("currency") ? "currency_code" : k, v));
        drifted.put("surcharge_minor", 0);
        return drifted;
    }
}
