package com.finledger.deploy.cost;

import java.math.BigDecimal;

/** One list price in USD, with the date it was recorded for this model and the page it comes from. */
public record Price(String name, BigDecimal usd, String unit, String asOf, String source) {

    static Price of(String name, String usd, String unit, String source) {
        return new Price(name, new BigDecimal(usd), unit, Prices.AS_OF, source);
    }
}
