package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anUnknownEventNoNewerThanTheNewestForgottenOneMayBeAReplay() {
        DeliveryLedger ledger = new DeliveryLedger(2);
        ledger.claim("a", T0);
        ledger.claim("b", T0.plusSeconds(1));
        assertFalse(ledger.mayHaveForgotten("a-replayed-late", T0.minusSeconds(60)), "nothing forgotten yet");

        ledger.claim("c", T0.plusSeconds(2));
        assertTrue(ledger.mayHaveForgotten("a", T0), "a left the ledger: its delivery sent again is a replay");
        assertFalse(ledger.mayHaveForgotten("b", T0.plusSeconds(1)), "b is still known, so it is deduplicated");
        assertFalse(ledger.mayHaveForgotten("d", T0.plusSeconds(3)), "newer than anything forgotten: a new event");
    }

    @Test
    void afterARestartTheStoredHorizonHolds() {
        ReplayHorizon stored = new ReplayHorizon(T0.plusSeconds(10), T0.plusSeconds(5));
        DeliveryLedger ledger = new DeliveryLedger(100);
        ledger.restore(List.of("x", "y"), stored);
        assertTrue(ledger.mayHaveForgotten("old", T0.plusSeconds(5)));
        assertFalse(ledger.mayHaveForgotten("x", T0), "restored ids are known");
        assertFalse(ledger.mayHaveForgotten("new", T0.plusSeconds(6)));
    }

    @Test
    void aReleasedClaimCanBeMadeAgain() {
        DeliveryLedger ledger = new DeliveryLedger(10);
        DeliveryLedger.Claim first = ledger.claim("a", T0);
        ledger.release(List.of(first), new IllegalStateException("task read failed"));
        assertTrue(ledger.claim("a", T0).first(), "a retry of the delivery may produce it");
        assertFalse(ledger.claim("a", T0).first());
    }
}
