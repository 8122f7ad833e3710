package com.finledger.integrity.close;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** The readable report of an evidence pack: the same facts as evidence.json, laid out as text pages (PDFBox). */
final class EvidenceReport {

    private static final float MARGIN = 40;
    private static final float LEADING = 11;

    private EvidenceReport() {
    }

    private record Line(String text, boolean heading) {
    }

    static byte[] pdf(ClosePeriod p, List<CloseSignedTotal> signed, List<Map<String, Object>> layerTotals,
                      List<Map<String, Object>> rules, CloseChecklist.Checklist now, List<ClosePinnedObject> pinned,
                      Map<String, String> lineageFiles) {
        List<Line> lines = new ArrayList<>();
        heading(lines, "Month-end close " + p.period + " - evidence report (sign-off round " + p.signoffRound + ")");
        text(lines, "State: " + p.state.label());
        text(lines, "Signed off by " + p.signedOffBy + " at " + p.signedOffAt + (p.signoffNote == null ? "" : " - " + p.signoffNote));
        text(lines, "Approved by " + p.approvedBy + " at " + p.approvedAt);
        text(lines, "Signed totals SHA-256: " + CloseService.signedTotalsDigest(p));
        heading(lines, "Control totals per layer and currency (as signed, minor units)");
        for (Map<String, Object> t : layerTotals) {
            text(lines, String.format("%-8s %-4s %22s  rows %d", t.get("layer"), t.get("currency"), t.get("amount_minor"),
                    t.get("rows")));
        }
        heading(lines, "Control totals per partition (as signed)");
        for (CloseSignedTotal t : signed) {
            text(lines, String.format("%-22s %s %-8s rows %d keys %s key fingerprint %s %s", t.dataset, t.partitionKey,
                    t.layer, t.rowCount, t.distinctKeys, t.keyFingerprint, t.amounts));
        }
        heading(lines, "Checklist");
        for (CloseChecklist.Item i : now.items()) {
            text(lines, i.dataset() + " " + i.partition() + ": " + i.stateLabel() + (i.why().isEmpty() ? "" : " (" + i.why() + ")"));
        }
        heading(lines, "Approved exceptions");
        if (now.exceptions().isEmpty()) {
            text(lines, "none");
        }
        for (CloseChecklist.Exception e : now.exceptions()) {
            text(lines, "override " + e.overrideId() + " " + e.dataset() + " " + e.partition() + ": asked by " + e.requestedBy()
                    + " (" + e.requestReason() + "), approved by " + e.approvedBy() + " (" + e.decisionReason() + ") at "
                    + e.decidedAt());
        }
        heading(lines, "Rule results");
        for (Map<String, Object> r : rules) {
            text(lines, r.get("dataset") + " " + r.get("partition") + " " + r.get("rule") + " [" + r.get("severity") + "] "
                    + (Boolean.TRUE.equals(r.get("passed")) ? "passed" : "FAILED " + r.get("failed_rows") + " row(s)") + " - "
                    + r.get("message"));
        }
        heading(lines, "Open reconciliation breaks: " + now.openBreaks().size() + ", at risk " + now.atRisk());
        for (CloseChecklist.OpenBreak b : now.openBreaks()) {
            text(lines, "#" + b.id() + " " + b.rule() + " " + b.reason() + " " + b.severity() + " " + b.businessDate() + " "
                    + b.amountAtRiskMinor() + " " + b.currency() + " (minor units)");
        }
        heading(lines, "Approvals");
        for (CloseEvent e : CloseEvent.of(p.id)) {
            text(lines, e.occurredAt + " " + e.actor + " " + e.kind + (e.toState == null ? "" : " -> " + e.toState)
                    + (e.reason == null ? "" : ": " + e.reason));
        }
        heading(lines, "Lineage traces (JSON in the archive)");
        lineageFiles.forEach((partition, file) -> text(lines, partition + ": " + file));
        heading(lines, "Raw objects the month was built from (" + pinned.size() + ")");
        for (ClosePinnedObject o : pinned) {
            text(lines, o.dataset + " " + o.businessDate + " " + o.objectKey + " version " + o.versionId);
            text(lines, "    sha256 " + o.sha256 + ", " + o.sizeBytes + " bytes, " + o.rowCount + " rows");
        }
        return render(lines, "Month-end close " + p.period);
    }

    private static void heading(List<Line> lines, String text) {
        lines.add(new Line("", false));
        lines.add(new Line(text, true));
    }

    private static void text(List<Line> lines, String text) {
        // wrap long lines at 120 characters of the monospaced font
        String t = text;
        while (t.length() > 120) {
            lines.add(new Line(t.substring(0, 120), false));
            t = "    " + t.substring(120);
        }
        lines.add(new Line(t, false));
    }

    /** Standard 14 fonts speak WinAnsi: anything else becomes '?', never a failed report. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            b.append(ch >= 0x20 && ch < 0x7f ? ch : ch == '∅' ? '-' : '?');
        }
        return b.toString();
    }

    private static byte[] render(List<Line> lines, String title) {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title);
            info.setCreator("FinLedger Integrity");
            PDType1Font body = new PDType1Font(Standard14Fonts.FontName.COURIER);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDRectangle size = PDRectangle.A4;
            int perPage = (int) ((size.getHeight() - 2 * MARGIN) / LEADING);
            for (int start = 0; start < lines.size(); start += perPage) {
                PDPage page = new PDPage(size);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.newLineAtOffset(MARGIN, size.getHeight() - MARGIN);
                    for (Line l : lines.subList(start, Math.min(lines.size(), start + perPage))) {
                        cs.setFont(l.heading() ? bold : body, l.heading() ? 10 : 7);
                        cs.showText(printable(l.text()));
                        cs.newLineAtOffset(0, -LEADING);
                    }
                    cs.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evidence report: " + e.getMessage(), e);
        }
    }
}
