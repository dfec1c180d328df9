package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ImsRefusalTest {

    @Test
    void factoriesCarryTheStatusAndTheImsCode() {
        assertStatusAndCode(ImsRefusal.malformed("m"), 400, 400);
        assertStatusAndCode(ImsRefusal.mismatch(477, "m"), 412, 477);
        assertStatusAndCode(ImsRefusal.unauthorized("m"), 401, 401);
        assertStatusAndCode(ImsRefusal.tooLarge("m"), 413, 413);
        assertStatusAndCode(new ImsRefusal(403, 403, "m"), 403, 403);
    }

    @Test
    void isAnAnswerWithoutAStackTraceOrCause() {
        ImsRefusal refusal = ImsRefusal.mismatch(418, "tenantId required");
        assertEquals(0, refusal.getStackTrace().length);
        assertNull(refusal.getCause());
        assertEquals("tenantId required", refusal.getMessage());
    }

    private static void assertStatusAndCode(ImsRefusal refusal, int status, int code) {
        assertEquals(status, refusal.status());
        assertEquals(code, refusal.code());
        assertEquals("m", refusal.getMessage());
    }
}
