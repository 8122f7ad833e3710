package com.finledger.integrity.warehouse;

import com.finledger.integrity.platform.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The production warehouse: Snowflake over its JDBC driver, authenticated by key pair (an RSA key
 * in PKCS#8 PEM, optionally encrypted; the public half is registered on the service user), or by
 * password at a URL of its own for the emulator the tests run it against. One
 * connection, opened on first use and replaced when it stops being valid; statements run in the
 * configured warehouse, database and role. Nothing here pulls rows beyond the small results of
 * pushed-down control-total and rule queries.
 */
public class SnowflakeWarehouse implements Warehouse {

    /**
     * Where and as whom to connect. {@code urlOverride} replaces the account's URL and {@code password} the key
     * pair when set: both are for the Snowflake emulator in tests; production logs in by key pair.
     */
    public record Settings(String account, String user, String role, String warehouse, String database,
                           Path privateKeyFile, Optional<String> privateKeyPassphrase, int loginTimeoutSeconds,
                           int queryTimeoutSeconds, Optional<String> urlOverride, Optional<String> password) {

        public Settings(String account, String user, String role, String warehouse, String database,
                        Path privateKeyFile, Optional<String> privateKeyPassphrase, int loginTimeoutSeconds,
                        int queryTimeoutSeconds) {
            this(account, user, role, warehouse, database, privateKeyFile, privateKeyPassphrase, loginTimeoutSeconds,
                    queryTimeoutSeconds, Optional.empty(), Optional.empty());
        }

        public String url() {
            return urlOverride.orElseGet(() -> "jdbc:snowflake://" + account + ".snowflakecomputing.com/");
        }
    }

    private final Settings settings;
    private final SnowflakeDialect dialect;
    private volatile Connection connection;
    /** Bumped when a connection is given up on, so a login that answers late is not taken into use. */
    private volatile int generation;
    private final java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
                Thread t = new Thread(r, "snowflake-call");
                t.setDaemon(true);
                return t;
            });

    /** One JDBC exchange on a connection, run under the watchdog. */
    @FunctionalInterface
    private interface Call<T> {
        T run(Connection connection) throws SQLException;
    }

    public SnowflakeWarehouse(Settings settings) {
        this(settings, SnowflakeDialect.INSTANCE);
    }

    /** With the emulator's dialect ({@link SnowflakeDialect#EMULATOR}) for the prodlike profile. */
    public SnowflakeWarehouse(Settings settings, SnowflakeDialect dialect) {
        this.settings = settings;
        this.dialect = dialect;
    }

    @Override
    public WarehouseDialect dialect() {
        return dialect;
    }

    @Override
    public synchronized <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper) {
        try {
            return bounded(sql, c -> Jdbc.query(c, sql, bindable(parameters), rs -> mapper.map(byAnyCase(rs))));
        } catch (SQLException e) {
            throw new IllegalStateException("Snowflake query failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long update(String sql, List<Object> parameters) {
        try {
            return bounded(sql, c -> Jdbc.update(c, sql, bindable(parameters)));
        } catch (SQLException e) {
            throw new IllegalStateException("Snowflake statement failed: " + e.getMessage(), e);
        }
    }

    /**
     * The result set with column labels matched regardless of case. Snowflake folds unquoted aliases to
     * upper case ({@code row_count} comes back as {@code ROW_COUNT}), while every mapper here reads the
     * lower-case names the SQL was written with, which the driver's label lookup does not always find.
     * Dates are also read as {@code LocalDate} through {@code getObject}, which the driver does not take.
     */
    static java.sql.ResultSet byAnyCase(java.sql.ResultSet rs) throws SQLException {
        java.util.Map<String, Integer> columns = new java.util.HashMap<>();
        java.sql.ResultSetMetaData md = rs.getMetaData();
        for (int i = md.getColumnCount(); i >= 1; i--) {
            columns.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), i);
        }
        return (java.sql.ResultSet) java.lang.reflect.Proxy.newProxyInstance(SnowflakeWarehouse.class.getClassLoader(),
                new Class<?>[] {java.sql.ResultSet.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("getObject") && args.length == 2
                                && args[1] == java.time.LocalDate.class) {
                            // snowflake-jdbc refuses getObject(…, LocalDate.class); a DATE is read as one
                            java.sql.Date date = args[0] instanceof String label
                                    ? rs.getDate(columns.getOrDefault(label.toLowerCase(java.util.Locale.ROOT),
                                    rs.findColumn(label))) : rs.getDate((Integer) args[0]);
                            return date == null ? null : date.toLocalDate();
                        }
                        boolean byLabel = args != null && args.length > 0 && args[0] instanceof String
                                && (method.getName().startsWith("get") || method.getName().equals("findColumn"));
                        if (byLabel) {
                            Integer index = columns.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                            if (index != null) {
                                if (method.getName().equals("findColumn")) {
                                    return index;
                                }
                                Object[] byIndex = args.clone();
                                byIndex[0] = index;
                                return BY_INDEX.computeIfAbsent(method, SnowflakeWarehouse::byIndex).invoke(rs, byIndex);
                            }
                        }
                        return method.invoke(rs, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Each by-label getter's by-index twin ({@code getLong(String)} → {@code getLong(int)}), looked up once. */
    private static final java.util.Map<java.lang.reflect.Method, java.lang.reflect.Method> BY_INDEX =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static java.lang.reflect.Method byIndex(java.lang.reflect.Method byLabel) {
        Class<?>[] types = byLabel.getParameterTypes().clone();
        types[0] = int.class;
        try {
            return java.sql.ResultSet.class.getMethod(byLabel.getName(), types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("ResultSet has no " + byLabel.getName() + " by column index", e);
        }
    }

    /** Snowflake's "SQL compilation error: syntax error": the emulator's answer to COPY_HISTORY. */
    private static final int SYNTAX_ERROR = 1003;

    /**
     * The generated statement is valid Snowflake (golden-tested), so a syntax error means a warehouse that
     * does not have COPY_HISTORY at all; any other failure (privileges, the network) stays a failure.
     */
    @Override
    public List<LoadRecord> loadHistory(String schema, String table, java.time.Instant since) {
        try {
            return Warehouse.super.loadHistory(schema, table, since);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && sql.getErrorCode() == SYNTAX_ERROR) {
                throw new LoadHistoryUnavailable("the warehouse cannot read COPY_HISTORY of " + schema + "." + table
                        + ": " + sql.getMessage(), e);
            }
            throw e;
        }
    }

    /** Autocommit, as every statement here: each statement of the batch commits as it runs. */
    @Override
    public synchronized long insertBatch(String sql, List<List<Object>> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            return bounded(sql, c -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                    for (List<Object> row : rows) {
                        List<Object> values = bindable(row);
                        for (int i = 0; i < values.size(); i++) {
                            ps.setObject(i + 1, values.get(i));
                        }
                        ps.addBatch();
                    }
                    long affected = 0;
                    for (int n : ps.executeBatch()) {
                        affected += Math.max(n, 0);
                    }
                    return affected;
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Snowflake batch failed: " + e.getMessage(), e);
        }
    }

    /**
     * snowflake-jdbc 3.24 refuses java.time values ("Data type not supported for binding"). A business
     * date goes as its ISO text, which Snowflake casts to DATE where it is compared or stored (no time
     * zone involved, unlike java.sql.Date); an instant as a Timestamp.
     */
    static List<Object> bindable(List<Object> parameters) {
        return parameters.stream().map(p -> p instanceof java.time.LocalDate d ? (Object) d.toString()
                : p instanceof java.time.Instant i ? java.sql.Timestamp.from(i) : p).toList();
    }

    @Override
    public boolean tableExists(String schema, String table) {
        return !query("select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                List.of(schema.toUpperCase(), table.toUpperCase()), rs -> 1).isEmpty();
    }

    /** The JDBC properties of the login (exposed for tests: no Snowflake here to log in to). */
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.put("user", settings.user());
        p.put("role", settings.role());
        p.put("warehouse", settings.warehouse());
        p.put("db", settings.database());
        if (settings.password().isPresent()) {
            p.put("password", settings.password().get());
        } else {
            p.put("authenticator", "snowflake_jwt");
            p.put("privateKey", privateKey(settings.privateKeyFile(), settings.privateKeyPassphrase()));
        }
        p.put("loginTimeout", Integer.toString(settings.loginTimeoutSeconds()));
        p.put("queryTimeout", Integer.toString(settings.queryTimeoutSeconds()));
        p.put("application", "FinLedgerIntegrity");
        p.put("CLIENT_SESSION_KEEP_ALIVE", "true");
        p.put("TIMEZONE", "UTC");
        // Results as JSON, not Apache Arrow: Arrow needs java.nio opened to it on JDK 16+ (a JVM flag every
        // launcher would have to carry), and every result read here is small (totals, pages, ledgers).
        p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        return p;
    }

    /**
     * Runs one exchange with a deadline of its own. snowflake-jdbc honours neither its query timeout
     * nor its network timeout while a warehouse that stopped answering holds the socket open (it waits
     * about five minutes), so the exchange runs on a worker and the caller gives up at the deadline:
     * the connection is abandoned (closed in the background) and the failure names the statement. The
     * deadline is the login and the query timeouts together, since an exchange may have to log in first.
     */
    private <T> T bounded(String sql, Call<T> call) throws SQLException {
        int seconds = settings.loginTimeoutSeconds() + settings.queryTimeoutSeconds();
        int startedIn = generation;
        java.util.concurrent.Future<T> exchange = calls.submit(() -> call.run(connection(startedIn)));
        try {
            return exchange.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            abandon();
            throw new IllegalStateException("Snowflake did not answer within " + seconds + " s (login and query "
                    + "timeouts); the connection was abandoned. Statement: " + head(sql), e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sqlException) {
                throw sqlException;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Snowflake call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            throw new IllegalStateException("interrupted while waiting for Snowflake: " + head(sql), e);
        }
    }

    private static String head(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "…";
    }

    private void abandon() {
        generation++;
        Connection hung = connection;
        connection = null;
        if (hung != null) {
            closeQuietly(hung);
        }
    }

    /** Closes off the caller's thread: closing may itself wait on the peer that stopped answering. */
    private void closeQuietly(Connection c) {
        calls.execute(() -> {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // given up on already
            }
        });
    }

    private Connection connection(int startedIn) throws SQLException {
        Connection current = connection;
        if (current != null && current.isValid(5)) {
            return current;
        }
        if (current != null) {
            closeQuietly(current);
        }
        // the driver itself, not DriverManager: its registry is per class loader, and the driver may
        // sit in another one than the caller (test runners, application servers)
        Connection fresh = new net.snowflake.client.jdbc.SnowflakeDriver().connect(settings.url(),
                connectionProperties());
        if (fresh == null) {
            throw new SQLException("snowflake-jdbc does not accept the URL " + settings.url());
        }
        if (startedIn != generation) {
            closeQuietly(fresh); // the caller gave up on this exchange while it was logging in
            throw new SQLException("the login answered after the caller had given up on it");
        }
        connection = fresh;
        return fresh;
    }

    /** Reads an RSA private key from PKCS#8 PEM: {@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} with a passphrase. */
    public static PrivateKey privateKey(Path pemFile, Optional<String> passphrase) {
        String pem;
        try {
            pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Snowflake private key " + pemFile + ": " + e.getMessage(), e);
        }
        boolean encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        if (!encrypted && !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(pemFile + " is not a PKCS#8 PEM private key (expected 'BEGIN PRIVATE KEY' "
                    + "or 'BEGIN ENCRYPTED PRIVATE KEY'; convert with openssl pkcs8 -topk8)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
        try {
            PKCS8EncodedKeySpec spec;
            if (encrypted) {
                if (passphrase.isEmpty()) {
                    throw new IllegalStateException(pemFile + " is encrypted: set its passphrase");
                }
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                // PBES2 keys (openssl pkcs8 -topk8 -v2 aes256) name their real algorithm in the parameters
                String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString()
                        : info.getAlgName();
                SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
                Cipher cipher = Cipher.getInstance(algorithm);
                cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(passphrase.get().toCharArray())),
                        info.getAlgParameters());
                spec = info.getKeySpec(cipher);
            } else {
                spec = new PKCS8EncodedKeySpec(der);
            }
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the Snowflake private key " + pemFile + ": " + e.getMessage(), e);
        }
    }

}
