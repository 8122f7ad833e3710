package com.finledger.integrity;

import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The verdicts the default demo world earns: every partition and window with its state, and the
 * newest control totals of each of its layers (rows, amounts per currency, fingerprints). Business
 * dates are written out in full; the 96 windows of a date as state plus a digest of their totals,
 * which keeps the file reviewable. Every way of running the world (dev mode's single database, the
 * prodlike peers) must reproduce {@code src/test/resources/demo-world-verdicts.txt} exactly;
 * regenerate it with {@code -Dverdicts.update=true} and review the diff.
 */
public final class DemoWorldVerdicts {

    public static final Path EXPECTED = Path.of("src/test/resources/demo-world-verdicts.txt");

    private DemoWorldVerdicts() {
    }

    /** The snapshot of what the control plane's database holds now, one line per partition (and per date layer). */
    public static String snapshot(DataSource controlPlane) {
        TreeMap<String, String> states = new TreeMap<>();
        Jdbc.query(controlPlane, "select dataset, partition_key, state from partition_readiness", List.of(),
                rs -> states.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3)));
        TreeMap<String, List<String>> totals = new TreeMap<>();
        Jdbc.query(controlPlane, """
                select distinct on (dataset, partition_key, layer) dataset, partition_key, layer, row_count,
                       row_fingerprint, row_amounts::text, distinct_keys, key_fingerprint, amounts::text,
                       duplicate_rows, superseded_rows, deleted_keys
                from control_total order by dataset, partition_key, layer, version desc""", List.of(), rs -> {
                    String line = rs.getString(3) + ": rows " + rs.getLong(4) + " fp " + rs.getLong(5) + " amounts "
                            + rs.getString(6) + " keys " + rs.getObject(7) + " key-fp " + rs.getObject(8)
                            + " effective " + rs.getString(9) + " dup " + rs.getLong(10) + " superseded "
                            + rs.getLong(11) + " deleted " + rs.getLong(12);
                    totals.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new ArrayList<>()).add(line);
                    return line;
                });
        StringBuilder out = new StringBuilder();
        TreeMap<String, String> partitions = new TreeMap<>(states);
        totals.keySet().forEach(k -> partitions.putIfAbsent(k, "(no verdict)"));
        partitions.forEach((partition, state) -> {
            List<String> layers = totals.getOrDefault(partition, List.of());
            if (partition.contains("T")) {
                out.append(partition).append(' ').append(state).append(" totals ")
                        .append(Sha256.hex(String.join("\n", layers).getBytes(StandardCharsets.UTF_8)), 0, 16)
                        .append('\n');
            } else {
                out.append(partition).append(' ').append(state).append('\n');
                layers.forEach(l -> out.append("  ").append(l).append('\n'));
            }
        });
        return out.toString();
    }

    /** The committed expectation (rewritten from {@code actual}, when given, with -Dverdicts.update=true). */
    public static String expected(String actual) {
        try {
            if (actual != null && Boolean.getBoolean("verdicts.update")) {
                Files.writeString(EXPECTED, actual, StandardCharsets.UTF_8);
            }
            return Files.readString(EXPECTED, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EXPECTED + " (create it with -Dverdicts.update=true)", e);
        }
    }
}
