package org.bmsim.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Text quoted from a user's file stays on one line and short. */
class BadInputExceptionTest {
    @Test
    void excerptEscapesControlCharactersAndTruncates() {
        assertEquals("a\\nb\\r\\tc\\u0000\\u001b", BadInputException.excerpt("a\nb\r\tc\u0000\u001b"));
        assertEquals("plain", BadInputException.excerpt("plain"));
        assertEquals("null", BadInputException.excerpt(null));
        String x80 = "x".repeat(80);
        assertEquals(x80, BadInputException.excerpt(x80));
        assertEquals(x80 + "...", BadInputException.excerpt(x80 + "y"));
        assertEquals(1, BadInputException.excerpt("\n".repeat(500)).lines().count());
    }
}
