package com.finledger.integrity.intake;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The landing object store (S3 in production). Versioned like an S3 bucket with versioning on:
 * writing new content under an existing key creates a new version; writing identical content is a
 * no-op that returns the existing version, so retried writes are safe.
 */
public interface ObjectStore {

    StoredObject put(String key, byte[] content, Instant arrivedAt, Map<String, String> metadata);

    Optional<StoredObject> head(String key);

    InputStream open(StoredObject object);

    /** Latest version of every object under a prefix, in key order. */
    List<StoredObject> list(String prefix);

    /**
     * Deletes every version of every object under a (non-blank) prefix; returns how many versions
     * went. For the demo world, which replaces what it and the pipeline landed; nothing in
     * production deletes landed objects.
     */
    int deleteAll(String prefix);

    record StoredObject(String key, String versionId, long size, String sha256, Instant arrivedAt,
                        Map<String, String> metadata) {
    }
}
