package com.finledger.integrity.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Each thing schemathesis found against /q/openapi, fixed, and kept fixed. */
@QuarkusTest
class SchemathesisFindingsTest {

    @Test
    void aMalformedMultipartBodyIsA400ProblemNotA500() {
        String boundary = "4bea7452f2ee0b8418ae8c1020a88206";
        given().auth().preemptive().basic("pipeline", "demo")
                .contentType("multipart/form-data; boundary=" + boundary)
                .body(("--" + boundary + "\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .post("/api/v1/lineage")
                .then().statusCode(400).contentType("application/json").body("title", equalTo("Malformed multipart body"));
    }

    @Test
    void anUnknownDemoProcessorIsA404ProblemWithAContentType() {
        given().get("/demo/processors/0/v1/transactions").then().statusCode(404).contentType(containsString("json"))
                .body("detail", containsString("no demo processor API 0"));
    }

    @Test
    void propertiesJacksonWritesAsNullAreNullableInTheDescription() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().get("/q/openapi?format=json").asString());
        // {"reason": null} in the audit log, {"firstError": null} in warehouse loads, {"seal": null} in a verification
        assertTrue(doc.at("/components/schemas/AuditEntry/properties/reason/type").toString().contains("null"),
                doc.at("/components/schemas/AuditEntry").toString());
        assertTrue(doc.at("/components/schemas/Load/properties/firstError/type").toString().contains("null"));
        // an Instant property is a $ref: it becomes anyOf [Instant, null]
        assertTrue(doc.at("/components/schemas/ReplicationTask").toString().contains("\"null\""),
                doc.at("/components/schemas/ReplicationTask").toString());
        // Jackson writes a java.time.Duration as seconds
        assertEquals("[\"number\"]", doc.at("/components/schemas/Duration/type").toString().replace("\"number\"",
                "\"number\"").startsWith("[") ? doc.at("/components/schemas/Duration/type").toString()
                : "[" + doc.at("/components/schemas/Duration/type").toString() + "]");
        // the close checklist's layer totals are exact decimal strings (@JsonFormat STRING), not numbers
        assertTrue(doc.at("/components/schemas/LayerTotal/properties/amountMinor/type").toString().contains("string"),
                doc.at("/components/schemas/LayerTotal").toString());
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/catalog").then().statusCode(200);
    }
}
