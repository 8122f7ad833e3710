package com.finledger.integrity.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogResourceTest {

    @Test
    void theApiShowsSourcesDatasetsAndContracts() {
        given().auth().preemptive().basic("auditor", "demo")
                .when().get("/api/v1/catalog")
                .then().statusCode(200)
                .body("sources", hasSize(6))
                .body("sources.name", hasItems("payments_ledger", "refunds_ledger", "settlements_ledger",
                        "processor_alpha", "processor_beta", "northbank_partner"))
                .body("sources.find { it.name == 'payments_ledger' }.datasets[0].columns.find { it.name == 'card_pan' }.pci",
                        org.hamcrest.Matchers.is(true))
                .body("layers.name", contains("landing", "raw", "staging", "curated"));
    }

    @Test
    void thePageListsEveryDataset() {
        String html = given().auth().preemptive().basic("ops", "demo")
                .when().get("/catalog")
                .then().statusCode(200).extract().asString();
        for (String dataset : new String[] {"payments", "ledger_refunds", "ledger_settlements", "alpha_transactions",
                "beta_transactions", "bank_settlement_lines"}) {
            org.hamcrest.MatcherAssert.assertThat(html, containsString("id=\"dataset-" + dataset + "\""));
        }
    }
}
