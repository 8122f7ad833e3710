package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.standins.S3MockProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The S3 object store against S3Mock running as a child process on loopback (its executable jar is
 * copied to target/s3mock/ by the build): versions, idempotent writes, listing, and a partner file
 * read back through the contract parser.
 */
class S3ObjectStoreTest {

    private static final String BUCKET = "finledger-landing";
    private static S3MockProcess s3mock;
    private static S3Client client;
    private static S3ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        s3mock = S3MockProcess.start();
        client = S3ObjectStore.client("eu-west-1", Optional.of(URI.create(s3mock.endpoint())), true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Duration.ofSeconds(20));
        client.createBucket(b -> b.bucket(BUCKET));
        client.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status(
                BucketVersioningStatus.ENABLED)));
        store = new S3ObjectStore(client, BUCKET);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @Test
    void writesAreVersionedAndAnIdenticalWriteIsANoOp() throws IOException {
        Instant at = Instant.parse("2026-12-02T06:30:00Z");
        ObjectStore.StoredObject first = store.put("landing/x/a.csv", "one\n".getBytes(), at, Map.of("source", "x"));
        ObjectStore.StoredObject same = store.put("landing/x/a.csv", "one\n".getBytes(), at.plusSeconds(5), Map.of());
        ObjectStore.StoredObject second = store.put("landing/x/a.csv", "two\n".getBytes(), at.plusSeconds(9), Map.of());

        assertEquals(first.versionId(), same.versionId());
        assertNotEquals(first.versionId(), second.versionId());
        assertEquals(second.versionId(), store.head("landing/x/a.csv").orElseThrow().versionId());
        assertEquals(at.plusSeconds(9), store.head("landing/x/a.csv").orElseThrow().arrivedAt());
        try (InputStream old = store.open(first)) {
            assertArrayEquals("one\n".getBytes(), old.readAllBytes(), "an older version stays readable");
        }
        assertEquals(Optional.empty(), store.head("landing/x/missing.csv"));
    }

    @Test
    void listingGivesTheLatestVersionOfEachObjectUnderThePrefix() {
        Instant at = Instant.parse("2026-12-02T06:30:00Z");
        store.put("landing/list/b.csv", "b1".getBytes(), at, Map.of());
        ObjectStore.StoredObject b2 = store.put("landing/list/b.csv", "b2".getBytes(), at, Map.of());
        store.put("landing/list/a.csv", "a".getBytes(), at, Map.of());
        store.put("landing/other/c.csv", "c".getBytes(), at, Map.of());

        List<ObjectStore.StoredObject> listed = store.list("landing/list/");

        assertEquals(List.of("landing/list/a.csv", "landing/list/b.csv"),
                listed.stream().map(ObjectStore.StoredObject::key).toList());
        assertEquals(b2.versionId(), listed.get(1).versionId());
    }

    @Test
    void deletingAPrefixRemovesEveryVersionUnderItAndNothingElse() {
        Instant at = Instant.parse("2026-12-02T06:30:00Z");
        store.put("landing/gone/a.csv", "a1".getBytes(), at, Map.of());
        store.put("landing/gone/a.csv", "a2".getBytes(), at, Map.of());
        store.put("landing/gone/deeper/b.csv", "b".getBytes(), at, Map.of());
        client.deleteObject(b -> b.bucket(BUCKET).key("landing/gone/deeper/b.csv"));
        store.put("landing/gonext/c.csv", "c".getBytes(), at, Map.of());

        assertEquals(4, store.deleteAll("landing/gone/"), "two versions of a, b and b's delete marker");

        var left = client.listObjectVersions(b -> b.bucket(BUCKET).prefix("landing/gone"));
        assertEquals(List.of("landing/gonext/c.csv"), left.versions().stream().map(v -> v.key()).toList());
        assertEquals(List.of(), left.deleteMarkers());
        assertThrows(IllegalArgumentException.class, () -> store.deleteAll(""), "never the whole bucket");
    }

    @Test
    void aPartnerFileReadsBackThroughItsContract() throws IOException {
        Catalog.Source northbank = CatalogLoader.load(Path.of("ingestion-config")).source("northbank_partner");
        ObjectStore.StoredObject o = store.put("landing/northbank_partner/settlement_report/settlement_report_20261201.csv",
                PartnerFileParserTest.GOOD.getBytes(StandardCharsets.UTF_8), Instant.now(), Map.of());

        try (InputStream in = store.open(o)) {
            PartnerFileParser.Result r = PartnerFileParser.parse(in, northbank.partnerDrop().orElseThrow(),
                    northbank.datasets().get(0), o.arrivedAt(), null);
            assertTrue(r.valid(), r.summary());
            assertEquals(o.sha256(), r.sha256());
        }
    }
}
