package com.finledger.integrity.lineage;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Lineage names hold slashes, colons and spaces: links carry them encoded. */
@TemplateExtension
public class LineageTemplateExtensions {

    private LineageTemplateExtensions() {
    }

    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
