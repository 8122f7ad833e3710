package com.finledger.integrity.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A payment processor's transactions API, as the extractor sees it: pages of records in a window. */
public interface ProcessorApi {

    /** Records whose change timestamp falls in {@code [from, to)}, in a stable order, one page at a time. */
    Page fetch(String source, Instant from, Instant to, Optional<String> pageToken, int pageSize);

    record Page(List<Map<String, Object>> records, Optional<String> nextPageToken) {
    }
}
