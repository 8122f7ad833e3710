package com.finledger.integrity.overview;

import com.finledger.integrity.overview.LayerCounts.Layer;
import com.finledger.integrity.overview.LayerCounts.PartitionCounts;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The overview page: per dataset and business date, row counts in every layer. */
@Path("/")
public class OverviewPage {

    /** One table row as shown: a count per layer, or "—" where the dataset skips that layer. */
    public record Row(String dataset, String kind, LocalDate businessDate, List<Cell> cells) {

        /** Whether a layer holds fewer rows than the source (nothing landed for a day that has data). */
        public boolean short_() {
            return cells.stream().anyMatch(c -> c.shortBy() > 0);
        }
    }

    /** A layer's count as shown; shortBy &gt; 0 where landing or RAW holds fewer rows than the source. */
    public record Cell(String text, long shortBy) {

        public String shortText() {
            return String.format(Locale.ROOT, "%,d", shortBy);
        }
    }

    @Inject
    StatusSummary status;

    @Inject
    @Location("overview.html")
    Template overview;

    @Inject
    LayerCounts layerCounts;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE,
            Roles.ADMIN})
    public TemplateInstance get() {
        List<Row> rows = layerCounts.all().stream().map(OverviewPage::row).toList();
        return Pages.page(overview.data("rows", rows).data("status", status.of(identity))
                .data("lastRun", pipeline.lastRun().orElse(null))
                .data("canRun", identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN)), identity, "/");
    }

    @POST
    @Path("pipeline/run")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response runPipeline() {
        pipeline.run(identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/")).build();
    }

    static Row row(PartitionCounts counts) {
        Long source = counts.count(Layer.SOURCE);
        List<Cell> cells = Arrays.stream(Layer.values()).map(layer -> {
            Long n = counts.count(layer);
            boolean checked = layer == Layer.LANDING || layer == Layer.RAW;
            long shortBy = checked && n != null && source != null && n < source ? source - n : 0;
            return new Cell(n == null ? "—" : String.format(Locale.ROOT, "%,d", n), shortBy);
        }).toList();
        return new Row(counts.dataset(), counts.kind(), counts.businessDate(), cells);
    }
}
