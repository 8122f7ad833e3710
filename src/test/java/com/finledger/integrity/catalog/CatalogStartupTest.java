package com.finledger.integrity.catalog;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up hook itself refuses a bad catalog, so the application never starts on one. */
class CatalogStartupTest {

    @TempDir
    Path dir;

    @Test
    void startUpFailsWithEveryProblemListed() throws IOException {
        Files.createDirectories(dir.resolve("sources"));
        Files.writeString(dir.resolve("layers.yaml"), "layers:\n  - name: landing\n");
        CatalogService service = new CatalogService();
        service.directory = Optional.of(dir.toString());

        CatalogException e = assertThrows(CatalogException.class, () -> service.onStart(null));

        assertTrue(e.getMessage().contains("layers.yaml:2: layer is missing 'description'"), e.getMessage());
        assertTrue(e.getMessage().contains("curated.yaml:1: file is missing"), e.getMessage());
        assertThrows(IllegalStateException.class, service::catalog);
    }
}
