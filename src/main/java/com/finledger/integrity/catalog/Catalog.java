package com.finledger.integrity.catalog;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/** The declared FinLedger world: layers, sources with their datasets, and curated datasets. */
public record Catalog(List<Layer> layers, List<Source> sources, List<CuratedDataset> curated) {

    public enum SourceKind { POSTGRES_CDC, REST_API, PARTNER_FILES }

    public enum SlaClass { OPS, FINANCE }

    public enum PartitionKind { BUSINESS_DATE, MICRO_BATCH }

    /** Landing metadata column names a dataset may use as its change sequence. */
    public static final String LANDING_CHANGE_SEQUENCE = "_change_seq";

    public record Layer(String name, String description, String storage, String location) {
    }

    public record Source(String name, SourceKind kind, String description, String owner,
                         String schema, Optional<String> endpoint, Optional<String> dmsTask,
                         Optional<String> database, Optional<PartnerDrop> partnerDrop,
                         List<Dataset> datasets) {
    }

    /**
     * A partner's file contract: where files are dropped and how they are named, their format, the
     * trailer record carrying the partner's own control totals, and the business-day calendar that
     * says which files are expected by which cut-off.
     */
    public record PartnerDrop(String dropPrefix, String filePattern, String delimiter, String encoding,
                              String cutoff, String timeZone, Optional<String> trailerMarker, int maxLineBytes,
                              java.util.Set<java.time.DayOfWeek> businessDays, java.util.Set<java.time.LocalDate> holidays) {

        public boolean isBusinessDay(java.time.LocalDate date) {
            return businessDays.contains(date.getDayOfWeek()) && !holidays.contains(date);
        }

        /** The name the partner gives the file of a business date (the pattern's fixed part). */
        public String expectedName(java.time.LocalDate date) {
            return filePattern.replaceAll("\\(.*?\\)\\?", "").replace("\\.", ".")
                    .replace("{business_date:yyyyMMdd}", date.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
        }
    }

    public record Column(String name, String type, boolean nullable, boolean pci) {
    }

    public record Amount(String column, String currencyColumn, boolean decimal) {
    }

    /**
     * How a dataset is cut into partitions: one per business date, or (operations datasets) one per
     * micro-batch window of its time column, e.g. {@code 2026-11-02T10:15Z} for 10:15–10:30 UTC. A
     * window partition belongs to the business date of the rows in it; the business-date partition of
     * a windowed dataset stays as the roll-up that daily consumers wait for.
     */
    public record Partitioning(PartitionKind kind, Optional<Duration> window, Optional<String> timeColumn) {

        public boolean windowed() {
            return kind == PartitionKind.MICRO_BATCH && window.isPresent() && timeColumn.isPresent();
        }

        public long windowSeconds() {
            return window.orElseThrow().toSeconds();
        }

        /** The key of the window holding an instant. */
        public String windowKey(java.time.Instant at) {
            long s = windowSeconds();
            return windowKeyOfBucket(Math.floorDiv(at.getEpochSecond(), s), s);
        }

        /** The key of window number {@code bucket} (epoch seconds / window seconds). */
        public static String windowKeyOfBucket(long bucket, long windowSeconds) {
            return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochSecond(bucket * windowSeconds));
        }

        /** The start of a window named by its key, if the key is one of this dataset's windows. */
        public Optional<java.time.Instant> windowStart(String key) {
            if (!windowed() || !key.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z")) {
                return Optional.empty();
            }
            try {
                java.time.Instant start = java.time.Instant.parse(key.substring(0, key.length() - 1) + ":00Z");
                // one name per window: ISO reads 2026-11-02T24:00 as the next day's 00:00, which is not its key
                return start.getEpochSecond() % windowSeconds() == 0 && windowKey(start).equals(key)
                        ? Optional.of(start) : Optional.empty();
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    public record Dataset(String name, String source, String table, String grain, SlaClass slaClass,
                          Duration freshness, Partitioning partitioning, List<String> primaryKey,
                          String changeSequence, Amount amount, String businessDate, List<Column> columns) {

        public Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public List<Column> pciColumns() {
            return columns.stream().filter(Column::pci).toList();
        }
    }

    public record CuratedDataset(String name, String grain, SlaClass slaClass, Duration freshness,
                                 List<String> builtFrom, List<String> rowsFrom, List<String> primaryKey,
                                 Amount amount, String businessDate, Partitioning partitioning) {
    }

    /**
     * The datasets {@code name} is built from at the bottom, in the order met: {@code name} itself when it is not a
     * curated dataset, otherwise what its {@code built_from} names, through curated ones (balances) to the landed.
     */
    public java.util.Set<String> landedSources(String name) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        collectLanded(name, out, new java.util.HashSet<>());
        return out;
    }

    private void collectLanded(String name, java.util.Set<String> out, java.util.Set<String> seen) {
        if (!seen.add(name)) {
            return;
        }
        curated.stream().filter(c -> c.name().equals(name)).findFirst().ifPresentOrElse(
                c -> c.builtFrom().forEach(from -> collectLanded(from, out, seen)), () -> out.add(name));
    }

    public Stream<Dataset> datasets() {
        return sources.stream().flatMap(s -> s.datasets().stream());
    }

    public Dataset dataset(String name) {
        return datasets().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no dataset named " + name + " in the catalog"));
    }

    public Source source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no source named " + name + " in the catalog"));
    }

    public Source sourceOf(Dataset dataset) {
        return source(dataset.source());
    }
}
