package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (profile {@code bench}): landing control totals of a generated ~1 GB partner CSV — row
 * count, per-currency sums, key fingerprint — by our contract parser (which also validates every
 * field) against DuckDB computing the same aggregates over the same file, one thread each, in the
 * same run. Writes target/bench/partner-file.json.
 */
class PartnerFileBench {

    private static final String[] CURRENCIES = {"EUR", "GBP", "USD"};

    @Test
    void controlTotalsOfALargePartnerFileAgainstDuckDb() throws Exception {
        long targetBytes = Long.getLong("bench.partner.mb", 1024) * 1024 * 1024;
        Path file = Path.of("target", "bench", "partner-file.csv");
        Files.createDirectories(file.getParent());
        long lines = generate(file, targetBytes);
        Catalog.Source northbank = CatalogLoader.load(Path.of("ingestion-config")).source("northbank_partner");
        Catalog.PartnerDrop contract = northbank.partnerDrop().orElseThrow();
        // the same contract without a trailer: DuckDB reads a plain CSV
        Catalog.PartnerDrop drop = new Catalog.PartnerDrop(contract.dropPrefix(), contract.filePattern(),
                contract.delimiter(), contract.encoding(), contract.cutoff(), contract.timeZone(), Optional.empty(),
                contract.maxLineBytes(), contract.businessDays(), contract.holidays());
        Catalog.Dataset dataset = northbank.datasets().get(0);
        Instant arrived = Instant.parse("2026-12-02T06:30:00Z");

        // warm-up on a slice, then one measured pass each
        ours(file, drop, dataset, arrived);
        long t0 = System.nanoTime();
        PartnerFileParser.Result r = ours(file, drop, dataset, arrived);
        double oursS = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> duck;
        double duckS;
        try (Connection c = duckdbConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("set threads = 1");
            }
            duckdb(c, file, arrived);
            long t1 = System.nanoTime();
            duck = duckdb(c, file, arrived);
            duckS = (System.nanoTime() - t1) / 1e9;
        }
        // Second baseline: DuckDB as a user would run it — its default threads, count and sums only (no
        // fingerprint, no per-field validation) — so the constraints of the one-thread comparison are visible.
        Map<String, Object> duckFast;
        double duckFastS;
        int duckThreads;
        try (Connection c = duckdbConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_setting('threads')")) {
                rs.next();
                duckThreads = rs.getInt(1);
            }
            duckdbCountAndSums(c, file);
            long t2 = System.nanoTime();
            duckFast = duckdbCountAndSums(c, file);
            duckFastS = (System.nanoTime() - t2) / 1e9;
        }

        assertEquals(lines, r.rows(), "our parser read every line");
        assertEquals(lines, duck.get("rows"), "DuckDB read every line");
        Map<String, BigDecimal> ourAmounts = new TreeMap<>();
        r.totals().amounts().asMap().forEach((k, v) -> ourAmounts.put(k, v.stripTrailingZeros()));
        assertEquals(duck.get("amounts"), ourAmounts, "the same per-currency sums, to the cent");
        assertEquals(duck.get("fingerprint").toString(), Long.toUnsignedString(r.totals().fingerprint()),
                "the same key fingerprint");
        assertEquals(lines, duckFast.get("rows"), "DuckDB (default threads) read every line");
        assertEquals(duck.get("amounts"), duckFast.get("amounts"), "DuckDB (default threads): the same sums");

        double mb = Files.size(file) / 1024.0 / 1024.0;
        double ratio = duckS / oursS;
        System.out.printf("partner file %.0f MB, %d lines: ours %.2f s (%.0f MB/s), DuckDB %.2f s (%.0f MB/s); "
                + "throughput ratio %.2fx (target >= 1.00x) %s%n", mb, lines, oursS, mb / oursS, duckS, mb / duckS, ratio,
                ratio >= 1.0 ? "MET" : "NOT MET");
        double fastRatio = duckFastS / oursS;
        System.out.printf("partner file: DuckDB with its default %d threads, count and sums only: %.2f s (%.0f MB/s); "
                + "ours / that: throughput ratio %.2fx (informative second baseline)%n", duckThreads, duckFastS,
                mb / duckFastS, fastRatio);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file_mb", Math.round(mb));
        result.put("lines", lines);
        result.put("ours_seconds", oursS);
        result.put("duckdb_seconds", duckS);
        result.put("ours_mb_per_s", mb / oursS);
        result.put("duckdb_mb_per_s", mb / duckS);
        result.put("ratio", ratio);
        result.put("target_ratio_min", 1.0);
        result.put("met", ratio >= 1.0);
        result.put("ours", "contract validation of every field + count, exact per-currency sums of minor units and MD5-64 "
                + "key fingerprint, one thread");
        result.put("duckdb", "read_csv with the column types, count, per-currency sum, sum of the first 64 bits of "
                + "md5(key|change sequence), threads=1");
        result.put("duckdb_default_threads", duckThreads);
        result.put("duckdb_default_threads_count_and_sums_seconds", duckFastS);
        result.put("duckdb_default_threads_count_and_sums_mb_per_s", mb / duckFastS);
        result.put("ratio_vs_duckdb_default_threads_count_and_sums", fastRatio);
        result.put("duckdb_default_threads_count_and_sums", "read_csv, count and per-currency sums only (no "
                + "fingerprint, no validation), DuckDB's default thread count");
        result.put("fingerprints", Map.of("ours", Long.toUnsignedString(r.totals().fingerprint()), "duckdb",
                String.valueOf(duck.get("fingerprint"))));
        Files.writeString(Path.of("target", "bench", "partner-file.json"), new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }

    private static PartnerFileParser.Result ours(Path file, Catalog.PartnerDrop drop, Catalog.Dataset dataset,
                                                 Instant arrived) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return PartnerFileParser.parse(in, drop, dataset, arrived, null);
        }
    }

    /**
     * The DuckDB driver class directly: after a Quarkus test has run in the same JVM, DriverManager no longer
     * sees drivers of the test class path ("No suitable driver found for jdbc:duckdb:").
     */
    private static Connection duckdbConnection() throws java.sql.SQLException {
        try {
            // by name: the driver is a dependency of the bench profile only, and this class compiles without it
            java.sql.Driver driver = (java.sql.Driver) Class.forName("org.duckdb.DuckDBDriver").getDeclaredConstructor()
                    .newInstance();
            return driver.connect("jdbc:duckdb:", new java.util.Properties());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is missing: run with -Pbench", e);
        }
    }

    private static Map<String, Object> duckdbCountAndSums(Connection c, Path file) throws Exception {
        String sql = """
                select currency, count(*) as n, sum(amount) as amount
                from read_csv('%s', header = true, delim = ',',
                      columns = {'line_reference': 'VARCHAR', 'settlement_reference': 'VARCHAR', 'value_date': 'DATE',
                                 'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'account': 'VARCHAR'})
                group by currency order by currency""".formatted(file.toAbsolutePath());
        long rows = 0;
        Map<String, BigDecimal> amounts = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows += rs.getLong("n");
                amounts.put(rs.getString("currency"), rs.getBigDecimal("amount").movePointRight(2).stripTrailingZeros());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("amounts", amounts);
        return out;
    }

    private static Map<String, Object> duckdb(Connection c, Path file, Instant arrived) throws Exception {
        long base = arrived.toEpochMilli() * 1_000_000L;
        String sql = """
                select currency, count(*) as n, sum(amount) as amount,
                       sum(('0x' || substr(md5(line_reference || '|' || cast(%d + rn as varchar)), 1, 16))::ubigint) as fp
                from (select *, row_number() over () as rn from read_csv('%s', header = true, delim = ',',
                      columns = {'line_reference': 'VARCHAR', 'settlement_reference': 'VARCHAR', 'value_date': 'DATE',
                                 'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'account': 'VARCHAR'}))
                group by currency order by currency""".formatted(base, file.toAbsolutePath());
        long rows = 0;
        Map<String, BigDecimal> amounts = new TreeMap<>();
        java.math.BigInteger fp = java.math.BigInteger.ZERO;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows += rs.getLong("n");
                amounts.put(rs.getString("currency"), rs.getBigDecimal("amount").movePointRight(2).stripTrailingZeros());
                fp = fp.add(new java.math.BigInteger(rs.getString("fp")));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("amounts", amounts);
        out.put("fingerprint", fp.mod(java.math.BigInteger.TWO.pow(64)));
        return out;
    }

    /** A Northbank-shaped report of about the given size; returns its data line count. */
    private static long generate(Path file, long targetBytes) throws IOException {
        if (Files.exists(file) && Math.abs(Files.size(file) - targetBytes) < targetBytes / 20) {
            try (var lines = Files.lines(file)) {
                return lines.count() - 1;
            }
        }
        Random random = new Random(42);
        long lines = 0;
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            byte[] header = "line_reference,settlement_reference,value_date,amount,currency,account\n"
                    .getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            written += header.length;
            StringBuilder line = new StringBuilder(128);
            while (written < targetBytes) {
                lines++;
                String currency = CURRENCIES[random.nextInt(3)];
                long cents = 100 + random.nextInt(2_000_000);
                line.setLength(0);
                line.append("NB-20261201-").append(lines).append(",SET-20261201-").append(lines).append(",2026-12-01,")
                        .append(cents / 100).append('.').append(String.format("%02d", cents % 100)).append(',')
                        .append(currency).append(",NB-").append(currency).append("-001\n");
                byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(bytes);
                written += bytes.length;
            }
        }
        return lines;
    }
}
