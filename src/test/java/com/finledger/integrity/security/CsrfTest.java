package com.finledger.integrity.security;

import static io.restassured.RestAssured.given;

import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A signed-in person's forms need the CSRF token the page rendered; a forged post without it fails. */
@QuarkusTest
class CsrfTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    DemoWorldFixture fixture;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @Test
    void theRunPipelineFormWorksWithItsTokenAndNotWithout() {
        Map<String, String> session = given().redirects().follow(false)
                .formParam("j_username", "ops").formParam("j_password", "demo")
                .post("/j_security_check").then().statusCode(302).extract().cookies();
        Response page = given().cookies(session).get("/");
        Assertions.assertEquals(200, page.statusCode());
        Matcher m = TOKEN.matcher(page.asString());
        Assertions.assertTrue(m.find(), "the overview renders a CSRF token for its forms");

        int forged = given().redirects().follow(false).cookies(session).formParam("csrf-token", "forged")
                .post("/pipeline/run").statusCode();
        Assertions.assertEquals(400, forged);

        int genuine = given().redirects().follow(false).cookies(session).cookies(page.cookies())
                .formParam("csrf-token", m.group(1)).post("/pipeline/run").statusCode();
        Assertions.assertEquals(303, genuine);
    }
}
