package com.finledger.integrity.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PanTokenizerTest {

    private final PanTokenizer tokenizer = new PanTokenizer("a-test-key-of-sufficient-length");

    @Test
    void equalPansGiveEqualTokensThatKeepOnlyTheLastFourDigits() {
        String token = tokenizer.tokenize("4111 1111 1111 1234");

        assertEquals(token, tokenizer.tokenize("4111111111111234"));
        assertTrue(token.matches("tok_[0-9a-f]{32}_1234"), token);
        assertFalse(token.contains("411111"));
        assertTrue(PanTokenizer.isToken(token));
    }

    @Test
    void tokensDependOnTheKey() {
        PanTokenizer other = new PanTokenizer("another-key-of-sufficient-length");

        assertNotEquals(tokenizer.tokenize("4111111111111234"), other.tokenize("4111111111111234"));
    }

    @Test
    void tokenizingATokenIsANoOp() {
        String token = tokenizer.tokenize("4000000000000002");

        assertEquals(token, tokenizer.tokenize(token));
    }

    @Test
    void maskShowsLastFourOfPansAndTokensAndNothingOfAnythingElse() {
        assertEquals("•••• •••• •••• 1234", PanTokenizer.mask("4111111111111234"));
        assertEquals("•••• •••• •••• 1234", PanTokenizer.mask(tokenizer.tokenize("4111111111111234")));
        assertEquals("••••", PanTokenizer.mask("not a card"));
    }

    @Test
    void rejectsWhatIsNotACardNumberAndShortKeys() {
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenize("12345"));
        assertThrows(IllegalArgumentException.class, () -> new PanTokenizer("short"));
    }
}
