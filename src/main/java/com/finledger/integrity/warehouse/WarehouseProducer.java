package com.finledger.integrity.warehouse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the warehouse by {@code finledger.ports.warehouse}: {@code postgres} (the local stand-in
 * in the application's PostgreSQL, the default) or {@code snowflake} (the {@code prod} choice,
 * configured by {@code finledger.snowflake.*}).
 */
@ApplicationScoped
public class WarehouseProducer {

    @ConfigProperty(name = "finledger.ports.warehouse", defaultValue = "postgres")
    String kind;

    @ConfigProperty(name = "finledger.snowflake.account")
    Optional<String> account;

    @ConfigProperty(name = "finledger.snowflake.user")
    Optional<String> user;

    @ConfigProperty(name = "finledger.snowflake.role", defaultValue = "FINLEDGER_INTEGRITY")
    String role;

    @ConfigProperty(name = "finledger.snowflake.warehouse", defaultValue = "FINLEDGER_INTEGRITY_WH")
    String snowflakeWarehouse;

    @ConfigProperty(name = "finledger.snowflake.database", defaultValue = "FINLEDGER")
    String database;

    @ConfigProperty(name = "finledger.snowflake.private-key-file")
    Optional<Path> privateKeyFile;

    @ConfigProperty(name = "finledger.snowflake.private-key-passphrase")
    Optional<String> passphrase;

    /** Replaces the account's URL, e.g. for the emulator: {@code jdbc:snowflake://127.0.0.1:PORT/?ssl=off&account=fakesnow}. */
    @ConfigProperty(name = "finledger.snowflake.url")
    Optional<String> url;

    /** Logs in by password instead of key pair when set (the emulator; never production). */
    @ConfigProperty(name = "finledger.snowflake.password")
    Optional<String> password;

    @ConfigProperty(name = "finledger.snowflake.login-timeout-seconds", defaultValue = "30")
    int loginTimeout;

    @ConfigProperty(name = "finledger.snowflake.query-timeout-seconds", defaultValue = "600")
    int queryTimeout;

    /** The prodlike profile's Snowflake emulator lacks two functions; see {@link SnowflakeDialect#EMULATOR}. */
    @ConfigProperty(name = "finledger.snowflake.emulator", defaultValue = "false")
    boolean emulator;

    @Inject
    PostgresWarehouse postgres;

    @Produces
    @ApplicationScoped
    Warehouse warehouse() {
        return switch (kind) {
            case "postgres" -> postgres;
            case "snowflake" -> new SnowflakeWarehouse(new SnowflakeWarehouse.Settings(
                    required(account, "account"), required(user, "user"), role, snowflakeWarehouse, database,
                    password.isPresent() ? null : required(privateKeyFile, "private-key-file"), passphrase,
                    loginTimeout, queryTimeout, url, password),
                    emulator ? SnowflakeDialect.EMULATOR : SnowflakeDialect.INSTANCE);
            default -> throw new IllegalStateException(
                    "finledger.ports.warehouse must be 'postgres' or 'snowflake', not '" + kind + "'");
        };
    }

    private static <T> T required(Optional<T> value, String name) {
        return value.orElseThrow(() -> new IllegalStateException(
                "finledger.ports.warehouse=snowflake needs finledger.snowflake." + name));
    }
}
