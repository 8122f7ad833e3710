package com.finledger.integrity.lineage;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import io.openlineage.client.dataset.Naming;
import io.openlineage.client.utils.SnowflakeUtils;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Dataset identities by the OpenLineage naming spec (see the lineage contract), so that the nodes we
 * record join those other integrations emit:
 * <ul>
 * <li>ledger tables: {@code postgres://host:port} + {@code database.schema.table} — the read replica's
 * JDBC URL ({@code finledger.source-databases.<connection.database>.url}) when the sources are read
 * through replicas, else the application's database, where the local ledgers live;</li>
 * <li>landing objects: {@code s3://<finledger.intake.bucket>} + key, locally too;</li>
 * <li>processor endpoints: {@code https://host[:port]} of {@code finledger.processors.<source>.base-url}
 * + path (the demo APIs the application serves itself: {@code http://localhost:<quarkus.http.port>});</li>
 * <li>warehouse tables: {@code snowflake://<account>} + {@code database.schema.table} when the warehouse
 * port is Snowflake (the account as configured, lower case: the {@code orgname-accountname} form),
 * else the local PostgreSQL warehouse, which is the application's database.</li>
 * </ul>
 * Names are lower case, as PostgreSQL folds them and as the contract spells them (the OpenLineage
 * client's own {@code Naming.Snowflake} keeps the case it is given; Snowflake reports upper case).
 * The account identifier is read as the OpenLineage integrations read it ({@code SnowflakeUtils}): a
 * legacy locator such as {@code xy12345.eu-west-1} gets its cloud suffix.
 */
public final class DatasetNames {

    /** A dataset's OpenLineage identity. */
    public record Name(String namespace, String name) {
    }

    private final Function<String, Optional<String>> config;

    /** Reads settings by key (the application's configuration, or a map in tests). */
    public DatasetNames(Function<String, Optional<String>> config) {
        this.config = config;
    }

    /** The ledger table a CDC source's dataset replicates. */
    public Name sourceTable(Source source, Dataset dataset) {
        Optional<String> replica = config.apply("finledger.ports.source-database").filter("jdbc"::equals)
                .flatMap(jdbc -> source.database())
                .flatMap(db -> config.apply("finledger.source-databases." + db + ".url"));
        return Postgres.of(replica.orElseGet(this::applicationJdbcUrl)).table(source.schema(), dataset.table());
    }

    /** One landing object (one dataset per object key; its versions are dataset versions). */
    public Name landingObject(String key) {
        Naming.S3 s3 = new Naming.S3(config.apply("finledger.intake.bucket").orElse("finledger-landing"), key);
        return new Name(s3.getNamespace(), s3.getName());
    }

    /** A processor source's endpoint. */
    public Name apiEndpoint(Source source) {
        String endpoint = source.endpoint().orElseThrow();
        URI base = config.apply("finledger.processors." + source.name() + ".base-url").map(URI::create)
                .orElseGet(() -> URI.create("http://localhost:" + config.apply("quarkus.http.port").orElse("8080")));
        String namespace = base.getScheme() + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
        String basePath = base.getPath() == null ? "" : base.getPath().replaceFirst("/$", "");
        return new Name(namespace.toLowerCase(Locale.ROOT), basePath + endpoint);
    }

    /** A table of the warehouse (RAW, STAGING, CURATED). */
    public Name warehouseTable(String schema, String table) {
        return warehouseRelation(warehouseDatabase(), schema, table);
    }

    /** A relation as dbt's compiled SQL names it: {@code database.schema.table}, in the warehouse's namespace. */
    public Name warehouseRelation(String database, String schema, String table) {
        return new Name(warehouseNamespace(), lower(database + "." + schema + "." + table));
    }

    public boolean snowflake() {
        return config.apply("finledger.ports.warehouse").orElse("postgres").equals("snowflake");
    }

    public String warehouseNamespace() {
        if (snowflake()) {
            return "snowflake://" + SnowflakeUtils.parseAccountIdentifier(config.apply("finledger.snowflake.account")
                    .orElseThrow(() -> new IllegalStateException("finledger.snowflake.account is not set")))
                    .toLowerCase(Locale.ROOT);
        }
        return Postgres.of(applicationJdbcUrl()).namespace();
    }

    public String warehouseDatabase() {
        if (snowflake()) {
            return config.apply("finledger.snowflake.database").orElse("FINLEDGER");
        }
        return Postgres.of(applicationJdbcUrl()).database();
    }

    private String applicationJdbcUrl() {
        return config.apply("quarkus.datasource.jdbc.url")
                .orElseThrow(() -> new IllegalStateException("quarkus.datasource.jdbc.url is not set"));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Host, port and database of a {@code jdbc:postgresql://host[:port]/database?...} URL. */
    record Postgres(String host, int port, String database) {

        static Postgres of(String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres"
                    : uri.getPath().substring(1);
            return new Postgres(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, database);
        }

        String namespace() {
            return table("public", "x").namespace();
        }

        Name table(String schema, String table) {
            Naming.Postgres pg = Naming.Postgres.builder().host(host.toLowerCase(Locale.ROOT))
                    .port(Integer.toString(port)).database(database).schema(schema).table(table).build();
            return new Name(pg.getNamespace(), lower(pg.getName()));
        }
    }
}
