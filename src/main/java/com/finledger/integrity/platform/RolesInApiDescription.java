package com.finledger.integrity.platform;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Writes the roles of every operation into the API description at /q/openapi, so people and tests read them
 * from one place. The roles are not listed here: they are the scopes Quarkus derives from each resource
 * method's {@code @RolesAllowed} (the security requirement of the {@code basicAuth} scheme), so they cannot
 * drift from what the server enforces. Each operation gets
 * <ul>
 *   <li>{@code x-roles}: the roles admitted ({@code []} with {@code x-public: true} for a public operation);</li>
 *   <li>a "Roles: ..." line in its description;</li>
 *   <li>{@code x-page: true} when it is a page or a page's form post (anything outside /api/);</li>
 *   <li>the problem responses every operation can give (400, 404, 409, 413, and 429 for the machine API),
 *       with the {@code Problem} schema.</li>
 * </ul>
 * The role matrix (RoleMatrixTest) enumerates every operation of this document against every role.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class RolesInApiDescription implements OASFilter {

    public static final String SCHEME = "basicAuth";
    public static final String ROLES = "x-roles";
    public static final String PUBLIC = "x-public";
    public static final String PAGE = "x-page";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        // Jackson writes a java.time.Duration as its seconds (a number), not an ISO-8601 string
        if (openAPI.getComponents().getSchemas() != null && openAPI.getComponents().getSchemas().containsKey("Duration")) {
            openAPI.getComponents().addSchema("Duration", OASFactory.createSchema().addType(Schema.SchemaType.NUMBER)
                    .description("A duration in seconds"));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                describe(path.getKey(), op.getKey(), op.getValue());
            }
        }
    }

    /**
     * Jackson writes every absent value as {@code null}: a property the schema does not require may be null
     * (schemathesis found {@code "reason": null}, {@code "firstError": null} ... refused by the generated schemas).
     */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getProperties() == null) {
            return schema;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> property : schema.getProperties().entrySet()) {
            if (!required.contains(property.getKey())) {
                nullable(property.getValue());
            }
        }
        return schema;
    }

    private static void nullable(Schema p) {
        if (p.getRef() != null) {
            Schema ref = OASFactory.createSchema().ref(p.getRef());
            p.setRef(null);
            p.setAnyOf(List.of(ref, OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
        } else if (p.getType() != null && !p.getType().isEmpty() && !p.getType().contains(Schema.SchemaType.NULL)) {
            p.addType(Schema.SchemaType.NULL);
        } else if (p.getAnyOf() != null && p.getAnyOf().stream().noneMatch(a -> a.getType() != null
                && a.getType().contains(Schema.SchemaType.NULL))) {
            List<Schema> any = new ArrayList<>(p.getAnyOf());
            any.add(OASFactory.createSchema().addType(Schema.SchemaType.NULL));
            p.setAnyOf(any);
        }
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        List<String> roles = new ArrayList<>();
        boolean secured = false;
        if (operation.getSecurity() != null) {
            for (SecurityRequirement requirement : operation.getSecurity()) {
                if (requirement.hasScheme(SCHEME)) {
                    secured = true;
                    List<String> scopes = requirement.getScheme(SCHEME);
                    if (scopes != null) {
                        scopes.stream().filter(r -> !roles.contains(r)).forEach(roles::add);
                    }
                }
            }
        }
        operation.addExtension(ROLES, List.copyOf(roles));
        if (!secured) {
            operation.addExtension(PUBLIC, true);
        }
        boolean page = !path.startsWith("/api/");
        if (page) {
            operation.addExtension(PAGE, true);
        }
        String line = secured ? "Roles: " + String.join(", ", roles) + "." : "Public: no sign-in needed.";
        String description = operation.getDescription();
        operation.setDescription(description == null || description.isBlank() ? line : description + "\n\n" + line);
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        problem(operation, "400", "Bad input: the problem says what and where; nothing was changed");
        problem(operation, "404", "No such resource");
        if (method != PathItem.HttpMethod.GET) {
            problem(operation, "409", "Conflicts with the current state; nothing was changed");
            problem(operation, "413", "Request body larger than the configured limit");
        }
        if (!page && roles.contains("pipeline")) {
            problem(operation, "429", "Rate limit of the machine API exceeded; retry after Retry-After seconds");
        }
    }

    private static void problem(Operation operation, String status, String description) {
        if (operation.getResponses().hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
        operation.getResponses().addAPIResponse(status, response);
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("What went wrong, where, and why (RFC 9457 in spirit)")
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .addType(Schema.SchemaType.NULL))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .addType(Schema.SchemaType.NULL)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .required(List.of("status", "title"));
    }
}
