package com.finledger.integrity.warehouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Snowflake adapter's key-pair login, without a Snowflake to log in to: the PKCS#8 key files
 * it reads (plain and passphrase-encrypted, as {@code openssl pkcs8 -topk8} writes them) and the
 * JDBC properties it connects with. Its SQL is covered by the golden files.
 */
class SnowflakeWarehouseTest {

    private static KeyPair keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    private Path pem(String label, byte[] der) throws Exception {
        Path file = dir.resolve(label.replace(' ', '_').toLowerCase() + ".p8");
        Files.writeString(file, "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + label + "-----\n");
        return file;
    }

    @Test
    void aPlainPkcs8KeyIsRead() throws Exception {
        PrivateKey key = SnowflakeWarehouse.privateKey(pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                Optional.empty());

        assertArrayEquals(keys.getPrivate().getEncoded(), key.getEncoded());
    }

    @Test
    void anEncryptedPkcs8KeyAsOpensslWritesItIsReadWithItsPassphrase() throws Exception {
        Path plain = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        Path file = dir.resolve("encrypted.p8");
        Process openssl = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-v2", "aes256", "-in", plain.toString(),
                "-out", file.toString(), "-passout", "pass:s3cret").redirectErrorStream(true).start();
        assertEquals(0, openssl.waitFor(), new String(openssl.getInputStream().readAllBytes()));

        assertArrayEquals(keys.getPrivate().getEncoded(),
                SnowflakeWarehouse.privateKey(file, Optional.of("s3cret")).getEncoded());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SnowflakeWarehouse.privateKey(file, Optional.empty()));
        assertEquals(file + " is encrypted: set its passphrase", missing.getMessage());
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> SnowflakeWarehouse.privateKey(file, Optional.of("guess")));
        assertTrue(wrong.getMessage().startsWith("cannot read the Snowflake private key " + file), wrong.getMessage());
    }

    @Test
    void somethingElseIsRefusedWithTheFix() throws Exception {
        Path rsa = pem("RSA PRIVATE KEY", new byte[] {1, 2, 3});

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SnowflakeWarehouse.privateKey(rsa, Optional.empty()));

        assertTrue(e.getMessage().endsWith("convert with openssl pkcs8 -topk8)"), e.getMessage());
    }

    @Test
    void itConnectsByKeyPairAsTheServiceUserInItsWarehouse() throws Exception {
        SnowflakeWarehouse warehouse = new SnowflakeWarehouse(new SnowflakeWarehouse.Settings("xy12345.eu-west-1",
                "FINLEDGER_INTEGRITY_SVC", "FINLEDGER_INTEGRITY", "FINLEDGER_INTEGRITY_WH", "FINLEDGER",
                pem("PRIVATE KEY", keys.getPrivate().getEncoded()), Optional.empty(), 30, 600));

        Properties p = warehouse.connectionProperties();

        assertEquals("jdbc:snowflake://xy12345.eu-west-1.snowflakecomputing.com/",
                new SnowflakeWarehouse.Settings("xy12345.eu-west-1", "u", "r", "w", "d", dir, Optional.empty(), 1, 1)
                        .url());
        assertEquals("snowflake_jwt", p.get("authenticator"));
        assertEquals("FINLEDGER_INTEGRITY_SVC", p.get("user"));
        assertEquals("FINLEDGER_INTEGRITY_WH", p.get("warehouse"));
        assertEquals("FINLEDGER", p.get("db"));
        assertTrue(p.get("privateKey") instanceof PrivateKey);
        assertEquals(null, p.get("password"), "no password: key pair only");
        assertEquals(SnowflakeDialect.INSTANCE, warehouse.dialect());
    }
}
