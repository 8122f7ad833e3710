package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.PartnerDrop;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Finds partner files in their drop prefix and records each version in the landing ledger with its
 * business date (from the file name) and its data-line count. Full validation, quarantine and the
 * expected-file calendar belong to the partner-file intake.
 */
@ApplicationScoped
public class PartnerDropScanner {

    private static final Logger LOG = Logger.getLogger(PartnerDropScanner.class);

    @Inject
    ObjectStore objectStore;

    @Inject
    Clock clock;

    int scan(Connection c, Source source, Dataset dataset) throws SQLException {
        PartnerDrop drop = source.partnerDrop().orElseThrow();
        Pattern pattern = fileNamePattern(drop);
        int recorded = 0;
        for (StoredObject object : objectStore.list(drop.dropPrefix())) {
            String name = object.key().substring(drop.dropPrefix().length());
            Matcher m = pattern.matcher(name);
            if (!m.matches()) {
                LOG.warnf("partner file %s does not match %s; left for the intake to quarantine", object.key(),
                        drop.filePattern());
                continue;
            }
            if (LandedObjects.isRecorded(c, object)) {
                continue; // parsed when it was first seen; a new version has a new version id
            }
            LocalDate businessDate = LocalDate.parse(m.group("date"), DateTimeFormatter.BASIC_ISO_DATE);
            if (LandedObjects.record(c, dataset.name(), businessDate, object, totals(object, drop, dataset),
                    clock.instant())) {
                recorded++;
            }
        }
        return recorded;
    }

    static Pattern fileNamePattern(PartnerDrop drop) {
        String[] parts = drop.filePattern().split("\\{business_date:yyyyMMdd}", -1);
        return Pattern.compile(parts[0] + "(?<date>\\d{8})" + parts[1]);
    }

    /** Landing control totals of a partner file, computed while parsing it. */
    private RowTotals totals(StoredObject object, PartnerDrop drop, Dataset dataset) throws SQLException {
        RowTotals totals = new RowTotals();
        try (Reader reader = new BufferedReader(new InputStreamReader(objectStore.open(object),
                Charset.forName(drop.encoding())))) {
            LandedCsv.read(reader, drop.delimiter().charAt(0), (lineNo, record) -> totals.add(dataset, record,
                    Long.toString(LandedCsv.changeSequence(object.arrivedAt(), lineNo))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return totals;
    }
}
