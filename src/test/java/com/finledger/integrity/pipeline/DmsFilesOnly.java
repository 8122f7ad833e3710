package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * For the crash tests: what AWS DMS does on its own in production, writing the change files of every CDC
 * dataset into the landing bucket, without the application recording any of them. {@link LocalDms} plays DMS and
 * records in one transaction; here that transaction is rolled back, so the files are in the object store and
 * nothing about them is in the database, the state {@link ChangeFileIntake} starts from when it is told of them.
 */
public final class DmsFilesOnly {

    private DmsFilesOnly() {
    }

    public static void write(LocalDms dms, Catalog catalog, DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Catalog.Source source : catalog.sources()) {
                    if (source.kind() == Catalog.SourceKind.POSTGRES_CDC) {
                        for (Catalog.Dataset dataset : source.datasets()) {
                            dms.land(c, source, dataset);
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }
}
