package com.finledger.integrity.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The partner file ledger for people: every file with filters (partner, business date, state), a
 * file's detail with its validation errors, computed and declared totals, and the replay of a
 * quarantined file after correction (ops, audited). Also the same as JSON under /api/v1/partner-files.
 */
@Path("/")
public class PartnerFilePages {

    static final List<String> STATES = List.of("RECEIVED", "VALIDATING", "ACCEPTED", "QUARANTINED", "DUPLICATE");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Location("partner-files.html")
    Template listPage;

    @Inject
    @Location("partner-file.html")
    Template detailPage;

    @Inject
    PartnerFileIntake intake;

    @Inject
    CatalogService catalogService;

    @Inject
    SecurityIdentity identity;

    public record ReplayRequest(String reason) {
    }

    @Inject
    javax.sql.DataSource dataSource;

    /**
     * A file as the ledger shows it: late when it arrived after the partner's cut-off for its date or
     * after its partition was already READY (stored {@code late}); with the partition it feeds.
     */
    public record FileView(PartnerFileIntake.PartnerFile file, java.time.Instant cutoffAt) {

        public boolean pastCutoff() {
            return cutoffAt != null && file.arrivedAt() != null && file.arrivedAt().isAfter(cutoffAt);
        }

        public boolean late() {
            return file.late() || pastCutoff();
        }

        public String lateBy() {
            if (!pastCutoff()) {
                return "";
            }
            java.time.Duration d = java.time.Duration.between(cutoffAt, file.arrivedAt());
            return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min" : d.toMinutes() + " min";
        }

        public String feedsHref() {
            return file.dataset() == null || file.businessDate() == null ? null
                    : "/readiness/" + file.dataset() + "/" + file.businessDate();
        }
    }

    private List<FileView> views(List<PartnerFileIntake.PartnerFile> files) {
        java.util.Map<String, java.time.Instant> cutoffs = new java.util.HashMap<>();
        com.finledger.integrity.platform.Jdbc.query(dataSource,
                "select partner, business_date, cutoff_at from partner_file_expectation", List.of(), rs -> {
                    cutoffs.put(rs.getString(1) + "/" + rs.getObject(2, java.time.LocalDate.class),
                            rs.getTimestamp(3).toInstant());
                    return null;
                });
        return files.stream().map(f -> new FileView(f, cutoffs.get(f.partner() + "/" + f.businessDate()))).toList();
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @GET
    @Path("partner-files")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public TemplateInstance list(@QueryParam("partner") @DefaultValue("") String partner,
                                 @QueryParam("date") @DefaultValue("") String date,
                                 @QueryParam("state") @DefaultValue("") String state,
                                 @QueryParam("before") Long before,
                                 @QueryParam("size") @DefaultValue("100") int size) {
        if (size < 1 || size > 500) {
            throw new BadRequestException("size: files per page must be 1..500");
        }
        List<String> partners = catalogService.catalog().sources().stream()
                .filter(s -> s.kind() == SourceKind.PARTNER_FILES).map(s -> s.name()).toList();
        List<PartnerFileIntake.PartnerFile> page = intake.search(partner, filteredDate(date, state), state, before,
                size + 1);
        boolean more = page.size() > size;
        List<PartnerFileIntake.PartnerFile> shown = more ? page.subList(0, size) : page;
        String query = "/partner-files?partner=" + enc(partner) + "&date=" + enc(date) + "&state=" + enc(state)
                + (size == 100 ? "" : "&size=" + size);
        return Pages.page(listPage.data("files", views(shown)).data("partners", partners)
                .data("states", STATES).data("partner", partner).data("date", date).data("state", state)
                .data("olderHref", more ? query + "&before=" + shown.get(shown.size() - 1).id() : null), identity,
                "/partner-files");
    }

    @GET
    @Path("partner-files/{id}")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public TemplateInstance detail(@PathParam("id") long id) {
        PartnerFileIntake.PartnerFile file = file(id);
        return Pages.page(detailPage.data("file", file).data("view", views(List.of(file)).get(0))
                .data("errors", errors(file))
                .data("canReplay", file.state().equals("QUARANTINED") && (identity.hasRole(Roles.OPS)
                        || identity.hasRole(Roles.ADMIN))), identity, "/partner-files");
    }

    @POST
    @Path("partner-files/{id}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response replayForm(@PathParam("id") long id, @FormParam("reason") String reason) {
        PartnerFileIntake.PartnerFile replayed = replay(id, reason);
        return Response.seeOther(URI.create("/partner-files/" + replayed.id())).build();
    }

    @GET
    @Path("api/v1/partner-files")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN,
            Roles.PIPELINE})
    public List<PartnerFileIntake.PartnerFile> search(@QueryParam("partner") @DefaultValue("") String partner,
                                                      @QueryParam("date") @DefaultValue("") String date,
                                                      @QueryParam("state") @DefaultValue("") String state,
                                                      @QueryParam("limit") @DefaultValue("200") int limit) {
        LocalDate day = filteredDate(date, state);
        if (limit < 1 || limit > 5000) {
            throw new BadRequestException("limit must be 1..5000");
        }
        return intake.search(partner, day, state, limit);
    }

    /** The list filters as the page and the API take them: a known state, and the date parsed (400 otherwise). */
    private static LocalDate filteredDate(String date, String state) {
        if (!state.isEmpty() && !STATES.contains(state)) {
            throw new BadRequestException("state must be one of " + STATES);
        }
        try {
            return date.isEmpty() ? null : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("date must be YYYY-MM-DD, not '" + date + "'");
        }
    }

    @GET
    @Path("api/v1/partner-files/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN,
            Roles.PIPELINE})
    public PartnerFileIntake.PartnerFile file(@PathParam("id") long id) {
        return intake.find(id).orElseThrow(() -> new NotFoundException("no partner file " + id));
    }

    @POST
    @Path("api/v1/partner-files/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public PartnerFileIntake.PartnerFile replayApi(@PathParam("id") long id, ReplayRequest body) {
        return replay(id, body == null ? null : body.reason());
    }

    private PartnerFileIntake.PartnerFile replay(long id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a replay needs a reason for the audit log");
        }
        file(id);
        try {
            return intake.replay(id, identity.getPrincipal().getName(), reason);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static List<String> errors(PartnerFileIntake.PartnerFile file) {
        List<String> errors = new ArrayList<>();
        try {
            JSON.readTree(file.errorsJson()).forEach(e -> errors.add(e.asText()));
        } catch (JsonProcessingException e) {
            errors.add(file.errorsJson());
        }
        return errors;
    }

}
