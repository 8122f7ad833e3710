package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.finledger.integrity.intake.ObjectStore.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

    @TempDir
    Path root;

    @Test
    void writingTheSameContentTwiceKeepsOneVersion() {
        LocalObjectStore store = new LocalObjectStore(root);
        StoredObject first = store.put("landing/a/file.csv", bytes("x,y\n1,2\n"), Instant.parse("2026-11-02T06:30:00Z"),
                Map.of("partner", "northbank"));
        StoredObject again = store.put("landing/a/file.csv", bytes("x,y\n1,2\n"), Instant.parse("2026-11-03T00:00:00Z"),
                Map.of());

        assertEquals(first, again);
        assertEquals(Instant.parse("2026-11-02T06:30:00Z"), store.head("landing/a/file.csv").orElseThrow().arrivedAt());
    }

    @Test
    void newContentIsANewVersionAndTheOldOneStaysReadable() throws IOException {
        LocalObjectStore store = new LocalObjectStore(root);
        StoredObject v1 = store.put("k/f.csv", bytes("one"), Instant.parse("2026-11-02T00:00:00Z"), Map.of());
        StoredObject v2 = store.put("k/f.csv", bytes("two"), Instant.parse("2026-11-02T01:00:00Z"), Map.of());

        assertNotEquals(v1.versionId(), v2.versionId());
        assertEquals(v2, store.head("k/f.csv").orElseThrow());
        try (var in = store.open(v1)) {
            assertEquals("one", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void deletingAPrefixRemovesEveryVersionUnderItAndNothingElse() {
        LocalObjectStore store = new LocalObjectStore(root);
        store.put("landing/gone/a.csv", bytes("a1"), Instant.EPOCH, Map.of());
        store.put("landing/gone/a.csv", bytes("a2"), Instant.EPOCH.plusSeconds(1), Map.of());
        store.put("landing/gone/deeper/b.csv", bytes("b"), Instant.EPOCH, Map.of());
        store.put("landing/gonext/c.csv", bytes("c"), Instant.EPOCH, Map.of());

        assertEquals(3, store.deleteAll("landing/gone/"));

        assertEquals(List.of("landing/gonext/c.csv"), store.list("landing/").stream().map(StoredObject::key).toList());
        assertEquals(List.of(), store.list("landing/gone/"));
        assertThrows(IllegalArgumentException.class, () -> store.deleteAll(" "));
    }

    @Test
    void listsLatestVersionsUnderAPrefixInKeyOrder() {
        LocalObjectStore store = new LocalObjectStore(root);
        store.put("landing/b/2.csv", bytes("b2"), Instant.EPOCH, Map.of());
        store.put("landing/b/1.csv", bytes("b1"), Instant.EPOCH, Map.of());
        store.put("landing/c/1.csv", bytes("c1"), Instant.EPOCH, Map.of());

        List<String> keys = store.list("landing/b/").stream().map(StoredObject::key).toList();

        assertEquals(List.of("landing/b/1.csv", "landing/b/2.csv"), keys);
    }

    @Test
    void rejectsKeysThatEscapeTheStore() {
        LocalObjectStore store = new LocalObjectStore(root);

        assertThrows(IllegalArgumentException.class, () -> store.put("../x", bytes("x"), Instant.EPOCH, Map.of()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
