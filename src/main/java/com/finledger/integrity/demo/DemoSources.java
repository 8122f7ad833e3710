package com.finledger.integrity.demo;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The simulated source systems' own read-write databases: where the demo world writes each ledger
 * and processor system, and where the stand-ins for DMS and the processor APIs read them. By default
 * the application's database (every source a schema of it); with
 * {@code finledger.demo.source-systems.<source>.url/user/password} a source system lives in a
 * database of its own, as it does in production. Dev and test only: production code reads sources
 * through their ports ({@code SourceDatabases}, the processor API, the landing bucket).
 */
@ApplicationScoped
public class DemoSources {

    @ConfigMapping(prefix = "finledger.demo.source-systems")
    public interface SourceSystems {

        /** Per catalog source name. */
        @WithParentName
        Map<String, SourceSystem> systems();

        interface SourceSystem {
            String url();

            String user();

            Optional<String> password();
        }
    }

    @Inject
    SourceSystems config;

    @Inject
    DataSource application;

    private final Map<String, DataSource> databases = new ConcurrentHashMap<>();

    /** The database the demo world writes this source system into. */
    public DataSource of(Source source) {
        if (source.kind() != SourceKind.POSTGRES_CDC && source.kind() != SourceKind.REST_API) {
            throw new IllegalArgumentException(source.name() + " is a " + source.kind()
                    + " source; only ledgers and processor systems have a database of their own");
        }
        return databases.computeIfAbsent(source.name(), name -> Optional.ofNullable(config.systems().get(name))
                .<DataSource>map(DemoSources::dataSource).orElse(application));
    }

    /** Whether this source system is a schema of the application's database (the default). */
    public boolean inApplicationDatabase(Source source) {
        return of(source) == application;
    }

    private static DataSource dataSource(SourceSystems.SourceSystem system) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(system.url());
        ds.setUser(system.user());
        system.password().ifPresent(ds::setPassword);
        ds.setApplicationName("finledger-demo-world");
        return ds;
    }
}
