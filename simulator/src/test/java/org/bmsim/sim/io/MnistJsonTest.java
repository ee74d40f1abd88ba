package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class MnistJsonTest {
    private static String image(double first, double last) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            double v = i == 0 ? first : i == 783 ? last : 0;
            b.append(i == 0 ? "" : ",").append(v == 0 ? "0" : Double.toString(v));
        }
        return b.toString();
    }

    private static byte[] parse(String s) {
        return MnistJson.parse("t.json", s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void recoversBytesFromThreeDecimals() {
        // 0.992 = 253/255 printed with three decimals (253/255 = 0.99216), 0.004 = 1/255 (0.00392)
        byte[] px = parse("{ \"data\": [" + image(0.992, 0.004) + "," + image(1, 0.502) + "]}");
        assertEquals(2 * 784, px.length);
        assertEquals(253, px[0] & 0xFF);
        assertEquals(1, px[783] & 0xFF);
        assertEquals(255, px[784] & 0xFF);
        assertEquals(128, px[2 * 784 - 1] & 0xFF);
    }

    @Test
    void refusesMalformedFiles() {
        assertMessage("no \"data\"", "{\"pixels\": [0]}");
        assertMessage("truncated", "{\"data\": [" + image(0.5, 0.5));
        assertMessage("whole number", "{\"data\": [0.1, 0.2]}");
        assertMessage("outside [0, 1]", "{\"data\": [" + image(1.5, 0) + "]}");
        assertMessage("not a number", "{\"data\": [" + image(0.5, 0).replaceFirst("0\\.5", "NaNx") + "]}");
        assertMessage("outside [0, 1]", "{\"data\": [" + image(0.5, 0).replaceFirst("0\\.5", "NaN") + "]}");
    }

    private static void assertMessage(String fragment, String content) {
        BadInputException e = assertThrows(BadInputException.class, () -> parse(content));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
