package com.finledger.integrity.intake;

import com.finledger.integrity.platform.Sha256;
import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.PartnerDrop;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.controls.RowTotals;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a partner file once, as a stream, against its contract: encoding (strict), header (the
 * dataset's columns, in order), field count and type of every line, line length, and the trailer
 * record with the partner's own totals, checked against what was parsed. Computes the landing
 * control totals and the SHA-256 of the bytes on the way. Problems name their line and column; the
 * first {@link #MAX_PROBLEMS} are kept, the rest counted.
 */
public final class PartnerFileParser {

    public static final int MAX_PROBLEMS = 100;
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,18}(\\.\\d{1,18})?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");

    public record Problem(long line, int column, String message) {

        @Override
        public String toString() {
            return "line " + line + (column > 0 ? ", column " + column : "") + ": " + message;
        }
    }

    /** What the partner declared in its trailer record. */
    public record Declared(long rows, Map<String, BigDecimal> amounts) {
    }

    public record Result(String sha256, long bytes, long rows, RowTotals totals, Declared declared,
                         List<Problem> problems, long moreProblems) {

        public boolean valid() {
            return problems.isEmpty();
        }

        public String summary() {
            return problems.isEmpty() ? "valid" : problems.get(0) + (problems.size() + moreProblems > 1
                    ? " (and " + (problems.size() - 1 + moreProblems) + " more)" : "");
        }
    }

    /** Receives each valid data line, numbered from 1 after the header (used to load what was validated). */
    @FunctionalInterface
    public interface LineSink {
        void accept(int lineNo, Map<String, String> record);
    }

    private final PartnerDrop drop;
    private final Dataset dataset;
    private final Instant arrivedAt;
    private final List<Problem> problems = new ArrayList<>();
    private long moreProblems;

    private PartnerFileParser(PartnerDrop drop, Dataset dataset, Instant arrivedAt) {
        this.drop = drop;
        this.dataset = dataset;
        this.arrivedAt = arrivedAt;
    }

    public static Result parse(InputStream in, PartnerDrop drop, Dataset dataset, Instant arrivedAt, LineSink sink)
            throws IOException {
        return new PartnerFileParser(drop, dataset, arrivedAt).run(in, sink);
    }

    /** Later files supersede earlier ones for the same line reference: arrival order, then line. */
    public static long changeSequence(Instant arrivedAt, long lineNo) {
        return arrivedAt.toEpochMilli() * 1_000_000L + lineNo;
    }

    private void problem(long line, int column, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(line, column, message));
        } else {
            moreProblems++;
        }
    }

    private Result run(InputStream in, LineSink sink) throws IOException {
        MessageDigest sha = Sha256.digest();
        Charset charset = Charset.forName(drop.encoding());
        boolean utf8 = charset.equals(StandardCharsets.UTF_8);
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        char delimiter = drop.delimiter().charAt(0);
        List<Column> columns = dataset.columns();
        RowTotals totals = new RowTotals();
        Declared declared = null;
        byte[] buffer = new byte[1 << 16];
        byte[] line = new byte[Math.max(256, Math.min(drop.maxLineBytes(), 1 << 16))];
        int lineLength = 0;
        boolean lineTooLong = false;
        long lineNo = 0;
        long bytes = 0;
        long rows = 0;
        boolean headerSeen = false;
        boolean endsWithNewline = true;
        int n;
        List<String> fields = new ArrayList<>(columns.size() + 2);
        List<String> names = columns.stream().map(Column::name).toList();
        int[] keyIndexes = dataset.primaryKey().stream().mapToInt(names::indexOf).toArray();
        int amountIndex = names.indexOf(dataset.amount().column());
        int currencyIndex = names.indexOf(dataset.amount().currencyColumn());
        List<String> key = new ArrayList<>(keyIndexes.length);
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
            bytes += n;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b != '\n') {
                    if (lineLength == line.length) {
                        if (lineLength >= drop.maxLineBytes()) {
                            lineTooLong = true;
                            continue;
                        }
                        line = java.util.Arrays.copyOf(line, Math.min(drop.maxLineBytes(), line.length * 2));
                    }
                    line[lineLength++] = b;
                    endsWithNewline = false;
                    continue;
                }
                lineNo++;
                endsWithNewline = true;
                if (declared != null) {
                    problem(lineNo, 0, "data after the trailer record");
                } else if (lineTooLong) {
                    problem(lineNo, 0, "line is longer than " + drop.maxLineBytes() + " bytes");
                } else {
                    String text = decode(line, lineLength, utf8, decoder, lineNo);
                    if (text != null) {
                        if (!headerSeen) {
                            headerSeen = true;
                            header(text, delimiter, columns);
                        } else if (isTrailer(text, delimiter)) {
                            declared = trailer(text, delimiter, lineNo);
                        } else if (!text.isEmpty()) {
                            fields.clear();
                            if (split(text, delimiter, fields, lineNo)) {
                                rows++;
                                if (valid(fields, columns, lineNo)) {
                                    key.clear();
                                    for (int k : keyIndexes) {
                                        key.add(emptyToNull(fields.get(k)));
                                    }
                                    totals.add(key, changeSequence(arrivedAt, rows), emptyToNull(fields.get(currencyIndex)),
                                            emptyToNull(fields.get(amountIndex)), dataset.amount().decimal());
                                    if (sink != null) {
                                        sink.accept((int) rows, record(fields, columns));
                                    }
                                }
                            }
                        }
                    }
                }
                lineLength = 0;
                lineTooLong = false;
            }
        }
        if (bytes == 0) {
            problem(0, 0, "the file is empty (0 bytes)");
        } else if (!endsWithNewline || lineLength > 0) {
            problem(lineNo + 1, 0, "the last line has no line end: the file is truncated");
        }
        if (bytes > 0 && drop.trailerMarker().isPresent() && declared == null) {
            problem(lineNo, 0, "no trailer record ('" + drop.trailerMarker().get() + ",…'): the file is incomplete");
        }
        if (declared != null) {
            if (declared.rows() != rows) {
                problem(lineNo, 2, "trailer declares " + declared.rows() + " lines, the file has " + rows);
            }
            Map<String, BigDecimal> parsed = majorUnits(totals.amounts());
            if (!declared.amounts().equals(parsed)) {
                problem(lineNo, 3, "trailer declares totals " + declared.amounts() + ", the lines add up to " + parsed);
            }
        }
        return new Result(Sha256.hex(sha), bytes, rows, totals, declared, List.copyOf(problems),
                moreProblems);
    }

    private String decode(byte[] line, int length, boolean utf8, CharsetDecoder decoder, long lineNo) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        if (utf8) {
            boolean ascii = true;
            for (int i = 0; i < end; i++) {
                if (line[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, end));
            return chars.toString();
        } catch (MalformedInputException e) {
            int at = badByte(line, end, decoder);
            problem(lineNo, at + 1, "not valid " + drop.encoding() + " (byte " + (at + 1) + " of the line)");
            return null;
        } catch (CharacterCodingException e) {
            problem(lineNo, 0, "not valid " + drop.encoding() + ": " + e.getMessage());
            return null;
        }
    }

    private static int badByte(byte[] line, int end, CharsetDecoder decoder) {
        ByteBuffer in = ByteBuffer.wrap(line, 0, end);
        CharBuffer out = CharBuffer.allocate(end + 1);
        decoder.reset().decode(in, out, true);
        return in.position();
    }

    private void header(String text, char delimiter, List<Column> columns) {
        List<String> names = new ArrayList<>();
        if (!split(text, delimiter, names, 1)) {
            return;
        }
        List<String> expected = columns.stream().map(Column::name).toList();
        if (names.equals(expected)) {
            return;
        }
        if (names.size() == 1 && expected.size() > 1) {
            for (char other : new char[] {';', ',', '\t', '|'}) {
                if (other != delimiter && text.indexOf(other) >= 0) {
                    problem(1, 0, "the header has one field; the file seems delimited by '" + (other == '\t' ? "\\t"
                            : String.valueOf(other)) + "', the contract says '" + delimiter + "'");
                    return;
                }
            }
        }
        List<String> missing = expected.stream().filter(c -> !names.contains(c)).toList();
        List<String> extra = names.stream().filter(c -> !expected.contains(c)).toList();
        if (missing.isEmpty() && extra.isEmpty()) {
            problem(1, 0, "header columns are out of order: " + names + ", expected " + expected);
        } else {
            problem(1, 0, "header does not match the contract:" + (missing.isEmpty() ? "" : " missing " + missing)
                    + (extra.isEmpty() ? "" : " unexpected " + extra));
        }
    }

    private boolean isTrailer(String text, char delimiter) {
        return drop.trailerMarker().isPresent() && text.startsWith(drop.trailerMarker().get() + delimiter);
    }

    private Declared trailer(String text, char delimiter, long lineNo) {
        List<String> f = new ArrayList<>();
        split(text, delimiter, f, lineNo);
        long rows = -1;
        Map<String, BigDecimal> amounts = new TreeMap<>();
        if (f.size() != 3) {
            problem(lineNo, 0, "trailer must be " + drop.trailerMarker().get() + ",<lines>,<CUR>=<total>;…");
            return new Declared(rows, amounts);
        }
        try {
            rows = Long.parseLong(f.get(1));
        } catch (NumberFormatException e) {
            problem(lineNo, 2, "trailer line count '" + f.get(1) + "' is not a number");
        }
        for (String part : f.get(2).isEmpty() ? new String[0] : f.get(2).split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || !DECIMAL.matcher(kv[1]).matches()) {
                problem(lineNo, 3, "trailer total '" + part + "' is not <CUR>=<amount>");
            } else {
                amounts.put(kv[0], new BigDecimal(kv[1]).stripTrailingZeros());
            }
        }
        return new Declared(rows, amounts);
    }

    private Map<String, BigDecimal> majorUnits(Amounts amounts) {
        Map<String, BigDecimal> major = new TreeMap<>();
        amounts.asMap().forEach((currency, minor) -> major.put(currency,
                (dataset.amount().decimal() ? minor.movePointLeft(2) : minor).stripTrailingZeros()));
        return major;
    }

    private boolean valid(List<String> fields, List<Column> columns, long lineNo) {
        if (fields.size() != columns.size()) {
            problem(lineNo, 0, fields.size() + " fields, the header has " + columns.size());
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String value = fields.get(i);
            if (value.isEmpty()) {
                if (!column.nullable()) {
                    problem(lineNo, i + 1, column.name() + " is empty but required");
                    ok = false;
                }
                continue;
            }
            String wrong = typeProblem(column.type(), value);
            if (wrong != null) {
                problem(lineNo, i + 1, column.name() + " '" + abbreviate(value) + "' is not " + wrong);
                ok = false;
            }
        }
        return ok;
    }

    private static Map<String, String> record(List<String> fields, List<Column> columns) {
        Map<String, String> record = new LinkedHashMap<>(columns.size() * 2);
        for (int i = 0; i < columns.size(); i++) {
            record.put(columns.get(i).name(), emptyToNull(fields.get(i)));
        }
        return record;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private String lastDate = "";

    private String typeProblem(String type, String value) {
        switch (type) {
            case "string":
                return null;
            case "bigint":
            case "integer":
                return INTEGER.matcher(value).matches() ? null : "a whole number";
            case "boolean":
                return value.equals("true") || value.equals("false") ? null : "true or false";
            case "date":
                if (value.equals(lastDate)) {
                    return null; // files repeat their dates line after line
                }
                try {
                    LocalDate.parse(value);
                    lastDate = value;
                    return null;
                } catch (DateTimeParseException e) {
                    return "a date (YYYY-MM-DD)";
                }
            case "timestamp":
                try {
                    Instant.parse(value);
                    return null;
                } catch (DateTimeParseException e) {
                    return "an ISO-8601 timestamp";
                }
            default:
                if (!type.startsWith("decimal(")) {
                    return null;
                }
                int scale = scaleOf(type);
                int places = decimalPlaces(value);
                if (places < 0) {
                    return "a decimal number";
                }
                return places <= scale ? null : "a decimal with at most " + scale + " places";
        }
    }

    private String lastDecimalType = "";
    private int lastScale;

    private int scaleOf(String type) {
        if (!type.equals(lastDecimalType)) {
            lastScale = Integer.parseInt(type.substring(type.indexOf(',') + 1, type.length() - 1));
            lastDecimalType = type;
        }
        return lastScale;
    }

    /** Places after the point of {@code -?d{1,18}(.d{1,18})?}, or -1 if the text is not such a number. */
    static int decimalPlaces(String value) {
        int n = value.length();
        int i = value.startsWith("-") ? 1 : 0;
        int intDigits = 0;
        while (i < n && Character.isDigit(value.charAt(i)) && value.charAt(i) < 128) {
            i++;
            intDigits++;
        }
        if (intDigits == 0 || intDigits > 18) {
            return -1;
        }
        if (i == n) {
            return 0;
        }
        if (value.charAt(i) != '.') {
            return -1;
        }
        int places = 0;
        for (i++; i < n; i++) {
            char ch = value.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            places++;
        }
        return places >= 1 && places <= 18 ? places : -1;
    }

    /** One line into fields, RFC 4180 quoting within the line; false (and a problem) on an unterminated quote. */
    private boolean split(String text, char delimiter, List<String> out, long lineNo) {
        int i = 0;
        int len = text.length();
        while (true) {
            if (i < len && text.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= len) {
                        problem(lineNo, out.size() + 1, "unterminated quoted field");
                        return false;
                    }
                    char ch = text.charAt(j);
                    if (ch == '"') {
                        if (j + 1 < len && text.charAt(j + 1) == '"') {
                            field.append('"');
                            j += 2;
                            continue;
                        }
                        j++;
                        break;
                    }
                    field.append(ch);
                    j++;
                }
                out.add(field.toString());
                if (j >= len) {
                    return true;
                }
                if (text.charAt(j) != delimiter) {
                    problem(lineNo, out.size(), "text after a closing quote");
                    return false;
                }
                i = j + 1;
            } else {
                int next = text.indexOf(delimiter, i);
                if (next < 0) {
                    out.add(text.substring(i));
                    return true;
                }
                out.add(text.substring(i, next));
                i = next + 1;
            }
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
