package com.finledger.integrity.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A payment processor's transactions API: pages of records in a window (the extractor) or of a business date (source totals). */
public interface ProcessorApi {

    /** Records whose change timestamp falls in {@code [from, to)}, in a stable order, one page at a time. */
    Page fetch(String source, Instant from, Instant to, Optional<String> pageToken, int pageSize);

    /**
     * Every record of one business date as the processor holds it now, one page at a time: what the
     * processor itself reports, which the source layer's control totals are computed from.
     */
    Page fetchBusinessDate(String source, java.time.LocalDate date, Optional<String> pageToken, int pageSize);

    record Page(List<Map<String, Object>> records, Optional<String> nextPageToken) {
    }
}
