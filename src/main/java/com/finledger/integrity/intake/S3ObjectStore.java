package com.finledger.integrity.intake;

import com.finledger.integrity.platform.Sha256;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The landing object store on Amazon S3 (SDK v2), for a bucket with versioning on. The SHA-256 of
 * what we write and the arrival time travel as object metadata; writing the content an object
 * already holds is a no-op returning the existing version. Partner files carry no such metadata:
 * their arrival is S3's last-modified time and the intake computes their SHA-256 while parsing.
 */
public class S3ObjectStore implements ObjectStore {

    static final String SHA256 = "sha256";
    static final String ARRIVED_AT = "arrived-at";

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3Client client(String region, Optional<URI> endpoint, boolean pathStyle,
                                  AwsCredentialsProvider credentials, Duration timeout) {
        var builder = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(timeout));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public StoredObject put(String key, byte[] content, Instant arrivedAt, Map<String, String> metadata) {
        String sha = Sha256.hex(content);
        Optional<StoredObject> existing = head(key);
        if (existing.isPresent() && sha.equals(existing.get().sha256())) {
            return existing.get();
        }
        Map<String, String> meta = new HashMap<>(metadata);
        meta.put(SHA256, sha);
        meta.put(ARRIVED_AT, arrivedAt.toString());
        try {
            PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(key).metadata(meta)
                    .contentLength((long) content.length), RequestBody.fromBytes(content));
            return new StoredObject(key, version(r.versionId()), content.length, sha, arrivedAt, Map.copyOf(metadata));
        } catch (SdkException e) {
            throw new IllegalStateException("S3 put of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredObject> head(String key) {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(stored(key, h));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IllegalStateException("S3 head of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    private static StoredObject stored(String key, HeadObjectResponse h) {
        Map<String, String> meta = new HashMap<>(h.metadata());
        String sha = meta.remove(SHA256);
        String arrived = meta.remove(ARRIVED_AT);
        return new StoredObject(key, version(h.versionId()), h.contentLength(), sha,
                arrived == null ? h.lastModified() : Instant.parse(arrived), Map.copyOf(meta));
    }

    @Override
    public InputStream open(StoredObject object) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(object.key());
        if (!object.versionId().equals("null")) {
            request.versionId(object.versionId());
        }
        try {
            return s3.getObject(request.build());
        } catch (SdkException e) {
            throw new IllegalStateException("S3 get of s3://" + bucket + "/" + object.key() + " version "
                    + object.versionId() + " failed: " + e.getMessage(), e);
        }
    }

    /** The latest version of every object under the prefix (ListObjectVersions, followed through its pages). */
    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> found = new ArrayList<>();
        try {
            for (ObjectVersion v : s3.listObjectVersionsPaginator(ListObjectVersionsRequest.builder().bucket(bucket)
                    .prefix(prefix).build()).versions()) {
                if (Boolean.TRUE.equals(v.isLatest())) {
                    found.add(new StoredObject(v.key(), version(v.versionId()), v.size(), null, v.lastModified(),
                            Map.of()));
                }
            }
        } catch (SdkException e) {
            throw new IllegalStateException("S3 listing of s3://" + bucket + "/" + prefix + " failed: "
                    + e.getMessage(), e);
        }
        found.sort(java.util.Comparator.comparing(StoredObject::key));
        return found;
    }

    /**
     * Every version and delete marker under the prefix, removed with DeleteObjects in batches of
     * 1,000 (its limit); listed first, so deleting does not disturb the listing's pages.
     */
    @Override
    public int deleteAll(String prefix) {
        LocalObjectStore.requirePrefix(prefix);
        List<ObjectIdentifier> versions = new ArrayList<>();
        try {
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(ListObjectVersionsRequest.builder()
                    .bucket(bucket).prefix(prefix).build())) {
                page.versions().forEach(v -> versions.add(identifier(v.key(), v.versionId())));
                page.deleteMarkers().forEach(m -> versions.add(identifier(m.key(), m.versionId())));
            }
            for (int from = 0; from < versions.size(); from += 1000) {
                List<ObjectIdentifier> batch = versions.subList(from, Math.min(versions.size(), from + 1000));
                DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    var first = r.errors().get(0);
                    throw new IllegalStateException("S3 delete under s3://" + bucket + "/" + prefix + " failed for "
                            + r.errors().size() + " version(s), first " + first.key() + " " + first.versionId() + ": "
                            + first.code() + " " + first.message());
                }
            }
        } catch (SdkException e) {
            throw new IllegalStateException("S3 delete under s3://" + bucket + "/" + prefix + " failed: "
                    + e.getMessage(), e);
        }
        return versions.size();
    }

    private static ObjectIdentifier identifier(String key, String versionId) {
        // a version listed as empty (an object from before versioning, on some stand-ins) is deleted by key
        return ObjectIdentifier.builder().key(key).versionId(versionId == null || versionId.isEmpty() ? null : versionId)
                .build();
    }

    private static String version(String versionId) {
        return versionId == null || versionId.isEmpty() ? "null" : versionId;
    }
}
