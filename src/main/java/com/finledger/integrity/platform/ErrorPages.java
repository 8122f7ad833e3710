package com.finledger.integrity.platform;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Errors in context for people, problem JSON for machines. A browser (not /api, not /q, asking for
 * HTML) whose form post is refused is sent back to the page it came from with a short-lived
 * {@code fl_flash} cookie that ui/scripts/pages.js shows beside the field the problem names (the
 * typed values are given back); a successful form post gets a success message the same way. A
 * browser's GET that ends in 4xx/5xx gets the error page (error.html) with a way back. The JSON API
 * is untouched.
 */
@ApplicationScoped
public class ErrorPages {

    static final String FLASH = "fl_flash";
    private static final Pattern FIELD = Pattern.compile("^([a-z][a-z_]*): ");

    @Inject
    @Location("error.html")
    Template errorPage;

    @Inject
    SecurityIdentity identity;

    public static boolean browser(String path, String accept) {
        return !path.startsWith("/api/") && !path.startsWith("/q/") && accept != null && accept.contains("text/html");
    }

    @ServerResponseFilter
    public void inContext(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!browser(path, request.getHeaderString(HttpHeaders.ACCEPT)) || path.equals("/logout")) {
            return;
        }
        int status = response.getStatus();
        boolean formPost = "POST".equals(request.getMethod()) && request.getMediaType() != null
                && (request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || request.getMediaType().isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
        if (formPost && status == 303) {
            Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
            if (location == null || !location.toString().contains("error=")) {
                response.getHeaders().add(HttpHeaders.SET_COOKIE, flash("ok", path, "", ""));
            }
            return;
        }
        if (status < 400) {
            return;
        }
        String title = title(status);
        String detail = null;
        if (response.getEntity() instanceof Problem p) {
            title = p.title();
            detail = p.detail();
            if (p.errors() != null && !p.errors().isEmpty()) {
                detail = (detail == null ? "" : detail + ": ") + String.join("; ", p.errors());
            }
        }
        if (detail == null || detail.isBlank()) {
            detail = explanation(status);
        }
        String back = sameSitePath(request.getHeaderString("Referer"));
        if (formPost && back != null) {
            Matcher m = FIELD.matcher(detail);
            response.setStatusInfo(jakarta.ws.rs.core.Response.Status.SEE_OTHER);
            response.setEntity(null);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            response.getHeaders().putSingle(HttpHeaders.LOCATION, back);
            response.getHeaders().add(HttpHeaders.SET_COOKIE, flash("error", path, m.find() ? m.group(1) : "", detail));
            return;
        }
        response.setEntity(render(status, title, detail, back), null, MediaType.TEXT_HTML_TYPE);
    }

    String render(int status, String title, String detail, String back) {
        try {
            return renderLayout(status, title, detail, back);
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(ErrorPages.class).debugf(e, "error page without navigation");
            return staticPage(status, title, detail);
        }
    }

    private String renderLayout(int status, String title, String detail, String back) {
        var page = errorPage.data("status", status).data("title", title).data("detail", detail)
                .data("back", back);
        if (identity == null || identity.isAnonymous()) {
            return page.data("user", "").data("roles", "").data("nav", java.util.List.of()).render();
        }
        return Pages.page(page, identity, "").render();
    }

    /** The page when there is no request context to render the layout in. */
    static String staticPage(int status, String title, String detail) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + status + " " + escape(title) + " · FinLedger Integrity</title>"
                + "<link rel=\"stylesheet\" href=\"/ui/styles/app.css\"></head><body><main id=\"content\">"
                + "<div class=\"error-page\" data-testid=\"error-page\"><h1>" + status + " · " + escape(title) + "</h1><p data-testid=\"error-detail\">" + escape(detail)
                + "</p><p><a href=\"javascript:history.back()\">← Go back</a> · <a href=\"/\">Home</a></p></div>"
                + "</main></body></html>";
    }

    private static String flash(String kind, String path, String field, String message) {
        String value = URLEncoder.encode(kind + "|" + path + "|" + field + "|" + message, StandardCharsets.UTF_8);
        if (value.length() > 3000) {
            value = value.substring(0, 3000);
        }
        return FLASH + "=" + value + "; Path=/; Max-Age=120; SameSite=Lax";
    }

    private static String sameSitePath(String referer) {
        if (referer == null || referer.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//")) {
                return null;
            }
            return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final Map<Integer, String> TITLES = Map.of(400, "Bad request", 403, "Not allowed", 404,
            "Not found", 409, "Conflict", 413, "Too large", 415, "Unsupported form", 422, "Cannot be processed",
            500, "Something went wrong");

    static String title(int status) {
        return TITLES.getOrDefault(status, "Error " + status);
    }

    static String explanation(int status) {
        return switch (status) {
            case 403 -> "Your role may not open this page or do this. Ask an administrator if you need it.";
            case 404 -> "There is nothing at this address. It may have been mistyped, or what it named no longer exists.";
            case 413 -> "What you sent is larger than this service accepts.";
            default -> "The request could not be completed.";
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
