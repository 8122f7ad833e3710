package com.finledger.integrity.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FmtTest {

    @Test
    void moneyUsesTheCurrencyExponentAndThousandsSeparators() {
        assertEquals("EUR 274.91", Fmt.money(27491L, "EUR"));
        assertEquals("EUR 475,887.94", Fmt.money(47588794L, "eur"));
        assertEquals("JPY 1,200,000", Fmt.money(1200000L, "JPY"));
        assertEquals("BHD 1.234", Fmt.money(1234L, "BHD"));
        assertEquals("EUR -0.05", Fmt.money(-5L, "EUR"));
        assertEquals("—", Fmt.money(null, "EUR"));
    }

    @Test
    void aFractionOfAMinorUnitIsShownNotRounded() {
        assertEquals("EUR 1,234.5678", Fmt.money(new java.math.BigDecimal("123456.78"), "EUR"));
        assertEquals("EUR 1,234.50", Fmt.money(new java.math.BigDecimal("123450.00"), "EUR"));
        assertEquals("JPY 12.5", Fmt.money(new java.math.BigDecimal("12.5"), "JPY"));
    }

    @Test
    void amountsDocumentsBecomeMoneyPerCurrency() {
        assertEquals("EUR 475,887.94 · USD 1.00", Fmt.amounts("{\"EUR\":\"47588794\",\"USD\":\"100\"}"));
        assertEquals("—", Fmt.amounts(null));
    }

    @Test
    void timesNameTheirZone() {
        assertEquals("<time datetime=\"2026-11-02T14:10:00Z\" data-local>2026-11-02 14:10 UTC</time>",
                Fmt.when(Instant.parse("2026-11-02T14:10:00Z")).getValue());
        assertEquals("—", Fmt.when(null).getValue());
    }
}
