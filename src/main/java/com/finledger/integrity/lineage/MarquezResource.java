package com.finledger.integrity.lineage;

import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Marquez's read API over our graph: namespaces, datasets and their versions, jobs and their runs.
 * Names with slashes or colons are URL-encoded in the path, as Marquez's clients do. (Resources here
 * never claim the bare {@code /api/v1} root: RESTEasy Reactive then hides the other resources under it.)
 */
@Path("/api/v1/namespaces")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
public class MarquezResource {

    @Inject
    MarquezViews views;

    @GET
    public Map<String, Object> namespaces(@QueryParam("limit") @DefaultValue("100") int limit,
                                          @QueryParam("offset") @DefaultValue("0") int offset) {
        page(limit, offset);
        return views.namespaces(limit, offset);
    }

    @GET
    @Path("{namespace}")
    public Map<String, Object> namespace(@PathParam("namespace") String namespace) {
        return views.namespace(namespace);
    }

    @GET
    @Path("{namespace}/datasets")
    public Map<String, Object> datasets(@PathParam("namespace") String namespace,
                                        @QueryParam("limit") @DefaultValue("100") int limit,
                                        @QueryParam("offset") @DefaultValue("0") int offset) {
        page(limit, offset);
        return views.datasets(namespace, limit, offset);
    }

    @GET
    @Path("{namespace}/datasets/{dataset}")
    public Map<String, Object> dataset(@PathParam("namespace") String namespace, @PathParam("dataset") String dataset) {
        return views.dataset(namespace, dataset);
    }

    @GET
    @Path("{namespace}/datasets/{dataset}/versions")
    public Map<String, Object> versions(@PathParam("namespace") String namespace, @PathParam("dataset") String dataset,
                                        @QueryParam("limit") @DefaultValue("100") int limit,
                                        @QueryParam("offset") @DefaultValue("0") int offset) {
        page(limit, offset);
        return views.datasetVersions(namespace, dataset, limit, offset);
    }

    @GET
    @Path("{namespace}/jobs")
    public Map<String, Object> jobs(@PathParam("namespace") String namespace,
                                    @QueryParam("limit") @DefaultValue("100") int limit,
                                    @QueryParam("offset") @DefaultValue("0") int offset) {
        page(limit, offset);
        return views.jobs(namespace, limit, offset);
    }

    @GET
    @Path("{namespace}/jobs/{job}")
    public Map<String, Object> job(@PathParam("namespace") String namespace, @PathParam("job") String job) {
        return views.job(namespace, job);
    }

    @GET
    @Path("{namespace}/jobs/{job}/runs")
    public Map<String, Object> runs(@PathParam("namespace") String namespace, @PathParam("job") String job,
                                    @QueryParam("limit") @DefaultValue("100") int limit,
                                    @QueryParam("offset") @DefaultValue("0") int offset) {
        page(limit, offset);
        return views.jobRuns(namespace, job, limit, offset);
    }

    /** Page-size cap of every listing here: a clear 400 instead of a huge or negative page. */
    static void page(int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, not " + offset);
        }
    }

    static final int MAX_LIMIT = 1000;
}
