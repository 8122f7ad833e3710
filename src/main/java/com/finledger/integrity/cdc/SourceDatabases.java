package com.finledger.integrity.cdc;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.platform.Jdbc;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Chooses each CDC source's database by {@code finledger.ports.source-database}: {@code local} (the
 * ledgers are schemas of the application's own database, as the demo world builds them) or
 * {@code jdbc} (each ledger's read replica, found by the catalog's {@code connection.database} under
 * {@code finledger.source-databases.<database>.*}). Replicas are read-only, with login, connect and
 * query timeouts, so a replica that is down fails an evaluation quickly and by name.
 */
@ApplicationScoped
public class SourceDatabases {

    /** Per read replica: JDBC URL, user and password (the password from the secret store in production). */
    @ConfigMapping(prefix = "finledger.source-databases")
    public interface Replicas {

        @WithParentName
        Map<String, Replica> databases();

        interface Replica {
            String url();

            String user();

            Optional<String> password();

            /** Connect and login timeout. */
            @WithDefault("PT10S")
            Duration connectTimeout();

            /** How long one query may run before the evaluation gives up on this source. */
            @WithDefault("PT60S")
            Duration queryTimeout();
        }
    }

    @ConfigProperty(name = "finledger.ports.source-database", defaultValue = "local")
    String kind;

    @Inject
    Replicas replicas;

    @Inject
    DataSource application;

    private final Map<String, SourceDatabase> databases = new ConcurrentHashMap<>();

    public SourceDatabase of(Source source) {
        if (source.kind() != SourceKind.POSTGRES_CDC) {
            throw new IllegalArgumentException(source.name() + " is a " + source.kind()
                    + " source; only postgres_cdc sources have a database the control plane reads");
        }
        return databases.computeIfAbsent(source.name(), name -> switch (kind) {
            case "local" -> new JdbcSourceDatabase(name, application, 0);
            case "jdbc" -> replica(source);
            default -> throw new IllegalStateException("finledger.ports.source-database must be 'local' or 'jdbc', not '"
                    + kind + "'");
        });
    }

    private SourceDatabase replica(Source source) {
        String database = source.database().orElseThrow(() -> new IllegalStateException(
                "source " + source.name() + " has no connection.database in the catalog"));
        Replicas.Replica replica = Optional.ofNullable(replicas.databases().get(database)).orElseThrow(() ->
                new IllegalStateException("source " + source.name() + " reads database '" + database
                        + "' but finledger.source-databases." + database + ".url/user are not configured"));
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(replica.url());
        ds.setUser(replica.user());
        replica.password().ifPresent(ds::setPassword);
        int connect = (int) Math.max(1, replica.connectTimeout().toSeconds());
        ds.setConnectTimeout(connect);
        ds.setLoginTimeout(connect);
        ds.setSocketTimeout((int) replica.queryTimeout().toSeconds() + connect);
        ds.setReadOnly(true);
        ds.setApplicationName("finledger-integrity");
        return new JdbcSourceDatabase(source.name(), ds, (int) replica.queryTimeout().toSeconds());
    }

    /** A PostgreSQL ledger over JDBC; a connection per read (evaluations read a few totals per dataset). */
    static final class JdbcSourceDatabase implements SourceDatabase {

        private final String source;
        private final DataSource dataSource;
        private final int queryTimeoutSeconds;

        JdbcSourceDatabase(String source, DataSource dataSource, int queryTimeoutSeconds) {
            this.source = source;
            this.dataSource = dataSource;
            this.queryTimeoutSeconds = queryTimeoutSeconds;
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper) {
            try (Connection c = dataSource.getConnection()) {
                if (queryTimeoutSeconds > 0) {
                    try (var s = c.createStatement()) {
                        s.execute("set statement_timeout = " + queryTimeoutSeconds * 1000L);
                    }
                }
                return Jdbc.query(c, sql, parameters, mapper);
            } catch (SQLException e) {
                throw new SourceUnavailableException("source database of " + source + " failed: " + e.getMessage(), e);
            }
        }
    }
}
