package io.mlconnector.simulators.ion.ims;

import static io.mlconnector.simulators.ion.ims.ImsTestSupport.ACCEPTED;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.FakeReceiver;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.Received;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.inflate;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.parse;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.validSignature;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.xp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ScenarioPlanTest {

    static final ScenarioPlan.Settings SETTINGS = ScenarioPlan.Settings.defaults().withPurchaseOrders(40)
            .withSupplierInvoices(10).withDeleteFraction(0.25).withSeed(11);

    @Test
    void theSameSettingsGiveTheSamePlanByteForByte() {
        ScenarioPlan a = ScenarioPlan.generate(SETTINGS);
        ScenarioPlan b = ScenarioPlan.generate(SETTINGS);
        assertEquals(a.messages().size(), b.messages().size());
        for (int i = 0; i < a.messages().size(); i++) {
            ImsMessage x = a.messages().get(i);
            ImsMessage y = b.messages().get(i);
            assertEquals(x.parameters(), y.parameters());
            assertEquals(x.kind(), y.kind());
            assertEquals(x.round(), y.round());
            assertArrayEquals(x.document().xml(), y.document().xml());
        }
        assertEquals(a.currentPurchaseOrders(), b.currentPurchaseOrders());
        ScenarioPlan other = ScenarioPlan.generate(SETTINGS.withSeed(12));
        assertNotEquals(a.currentPurchaseOrders(), other.currentPurchaseOrders());
        ScenarioPlan noHazards = ScenarioPlan.generate(SETTINGS.withHazards(Hazards.NONE));
        assertEquals(a.purchaseOrderVersions(), noHazards.purchaseOrderVersions(), "hazards do not change the data");
        assertEquals(a.documents().size(), noHazards.messages().size());
        assertTrue(noHazards.messages().stream().allMatch(m -> m.kind() == ImsMessage.Kind.ORIGINAL && m.round() == 0
                && m.encoding() == ImsMessage.Encoding.NONE));
    }

    @Test
    void hazardFractionsAreExactCounts() {
        Hazards hazards = new Hazards(0.1, 0.2, 0.5, 0.4, 0.25);
        ScenarioPlan plan = ScenarioPlan.generate(SETTINGS.withHazards(hazards));
        int documents = plan.documents().size();
        Map<String, Set<Long>> variations = new HashMap<>();
        plan.documents().forEach(d -> variations.computeIfAbsent(d.documentKey(), k -> new HashSet<>()).add(d.variationId()));
        long eligible = variations.values().stream().filter(v -> v.size() >= 2).count();
        assertTrue(eligible >= 10, "enough documents with several variations: " + eligible);

        Map<ImsMessage.Kind, Long> kinds = plan.kinds();
        assertEquals(Math.round(0.1 * documents), kinds.get(ImsMessage.Kind.DUPLICATE_SAME_ID));
        assertEquals(Math.round(0.2 * documents), kinds.get(ImsMessage.Kind.DUPLICATE_NEW_ID));
        assertEquals(Math.round(0.5 * eligible), kinds.get(ImsMessage.Kind.STALE));
        assertEquals(documents, kinds.get(ImsMessage.Kind.ORIGINAL) + kinds.get(ImsMessage.Kind.STALE));
        List<ImsMessage> firsts = plan.messages().stream()
                .filter(m -> m.kind() == ImsMessage.Kind.ORIGINAL || m.kind() == ImsMessage.Kind.STALE).toList();
        assertEquals(Math.round(0.4 * documents), firsts.stream().filter(m -> m.encoding() == ImsMessage.Encoding.DEFLATE).count());
        Pattern extended = Pattern.compile(".{1,128}:-ION-:[0-9a-f]{32}");
        Pattern classic = Pattern.compile("[0-9a-f]{32}");
        assertEquals(Math.round(0.25 * documents), firsts.stream().filter(m -> extended.matcher(m.messageId()).matches()).count());
        assertTrue(plan.messages().stream().allMatch(m -> extended.matcher(m.messageId()).matches()
                || classic.matcher(m.messageId()).matches()));
        assertEquals(plan.messages().size() - kinds.get(ImsMessage.Kind.DUPLICATE_SAME_ID),
                plan.messages().stream().map(ImsMessage::messageId).distinct().count(), "ids are unique except same-id copies");

        Map<String, Long> current = new HashMap<>();
        variations.forEach((k, v) -> current.put(k, v.stream().mapToLong(Long::longValue).max().orElseThrow()));
        Set<String> staleDocuments = new HashSet<>();
        for (ImsMessage m : plan.messages()) {
            assertEquals(m.kind() == ImsMessage.Kind.ORIGINAL ? 0 : 1, m.round());
            if (m.kind() == ImsMessage.Kind.STALE) {
                assertTrue(m.document().variationId() < current.get(m.document().documentKey()));
                assertTrue(staleDocuments.add(m.document().documentKey()), "one stale message per chosen document");
            }
        }
        // round 0 first in the list, then round 1
        int firstRoundOne = plan.messages().indexOf(plan.messages().stream().filter(m -> m.round() == 1).findFirst().orElseThrow());
        assertTrue(plan.messages().subList(firstRoundOne, plan.messages().size()).stream().allMatch(m -> m.round() == 1));
    }

    @Test
    void purchaseOrdersLookLikeM3AndCurrentIsTheHighestVariation() throws Exception {
        ScenarioPlan plan = ScenarioPlan.generate(SETTINGS);
        Map<String, PurchaseOrderVersion> current = plan.currentPurchaseOrders();
        assertEquals(40, current.size());
        List<String> numbers = new ArrayList<>(current.keySet());
        for (int i = 0; i < 40; i++) {
            assertEquals(String.valueOf(4_000_000_000L + i), numbers.get(i));
        }
        assertEquals(10, current.values().stream().filter(v -> v.actionCode() == ActionCode.Delete).count());
        Map<String, List<PurchaseOrderVersion>> byNumber = new TreeMap<>();
        plan.purchaseOrderVersions().forEach(v -> byNumber.computeIfAbsent(v.number(), k -> new ArrayList<>()).add(v));
        Set<String> lineCounts = new HashSet<>();
        boolean someFreeText = false;
        for (List<PurchaseOrderVersion> versions : byNumber.values()) {
            PurchaseOrderVersion highest = versions.stream().max((a, b) -> Long.compare(a.variationId(), b.variationId())).orElseThrow();
            assertEquals(highest, current.get(highest.number()));
            assertEquals(ActionCode.Add, versions.get(0).actionCode());
            for (int k = 0; k < versions.size(); k++) {
                PurchaseOrderVersion v = versions.get(k);
                assertTrue(Pattern.matches("\\d{10}", v.number()));
                if (k > 0) {
                    assertTrue(v.variationId() > versions.get(k - 1).variationId(), "variation grows");
                }
                if (v.actionCode() == ActionCode.Delete) {
                    assertEquals(versions.size() - 1, k, "a Delete is the last version");
                    continue;
                }
                if (k > 0) {
                    assertEquals(ActionCode.Replace, v.actionCode());
                    assertTrue(v.status().compareTo(versions.get(k - 1).status()) >= 0, "statuses never go back");
                }
                assertTrue(Pattern.matches("S\\d{5}", v.supplierId()));
                assertTrue(ScenarioPlan.CURRENCIES.contains(v.currency()));
                assertTrue(v.lines().size() >= 1 && v.lines().size() <= 3);
                lineCounts.add(String.valueOf(v.lines().size()));
                BigDecimal sum = BigDecimal.ZERO;
                for (PurchaseOrderVersion.Line l : v.lines()) {
                    assertEquals(l.quantity().multiply(l.unitPrice()).setScale(2, RoundingMode.HALF_UP), l.lineAmount());
                    assertEquals(2, l.lineAmount().scale());
                    sum = sum.add(l.lineAmount());
                }
                assertEquals(0, sum.compareTo(v.totalAmount()));
                assertEquals(2, v.totalAmount().scale());
                someFreeText |= ScenarioPlan.FREE_TEXT_NAMES.stream().anyMatch(t -> v.supplierName().endsWith(t));
            }
        }
        assertEquals(Set.of("1", "2", "3"), lineCounts);
        assertTrue(someFreeText, "some supplier names carry free text");

        Map<String, SupplierInvoiceVersion> invoices = plan.currentSupplierInvoices();
        assertEquals(10, invoices.size());
        assertTrue(invoices.keySet().stream().anyMatch(n -> n.contains("|")), "an invoice number with separators");
        for (SupplierInvoiceVersion inv : invoices.values()) {
            assertTrue(current.containsKey(inv.poNumber()));
            assertEquals(0, inv.lines().stream().map(SupplierInvoiceVersion.Line::lineAmount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(inv.totalAmount()));
        }

        // every message's BOD says what its parameters say
        for (ImsMessage m : plan.messages()) {
            Document d = parse(m.document().xml());
            String noun = m.document().noun();
            assertEquals("Sync" + noun, d.getDocumentElement().getLocalName());
            assertEquals(m.parameters().get("documentId"), xp(d, "//o:" + noun + "Header/o:DocumentID/o:ID"));
            assertEquals(String.valueOf(m.parameters().get("variationId")), xp(d, "//o:" + noun + "Header/o:DocumentID/o:ID/@variationID"));
            assertEquals(m.parameters().get("location"), xp(d, "//o:Sync/o:LocationID"));
            assertEquals(m.document().actionCode().name(), xp(d, "//o:ActionExpression/@actionCode"));
        }
    }

    /** What a correct receiver keeps per document: the highest variation seen, and its content. */
    record Held(long variation, String action, String status, String amount, String supplierName) {
    }

    @Test
    void aCorrectReceiverEndsWithExactlyTheCurrentVersions() throws Exception {
        ScenarioPlan plan = ScenarioPlan.generate(SETTINGS);
        Map<String, Held> held = new HashMap<>();
        Set<String> seenIds = new HashSet<>();
        int[] sameIdRepeats = {0};
        int[] ignored = {0};
        try (FakeReceiver receiver = new FakeReceiver()) {
            receiver.responder = r -> {
                if (!r.isMessage()) {
                    return FakeReceiver.standard(r);
                }
                if (!validSignature("POST", receiver.endpoint() + "/v3/multipartMessage", r.header("Authorization"), "sec")) {
                    return ImsTestSupport.Answer.of(401, "{}");
                }
                try {
                    return receive(r, held, seenIds, sameIdRepeats, ignored);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            try (ImsSender sender = new ImsSender(ImsSenderSettings.builder(receiver.endpoint()).oauth1("key", "sec")
                    .order(ImsSenderSettings.Order.SHUFFLED).seed(5).concurrency(4).build())) {
                DeliveryReport report = sender.deliver(plan.messages());
                assertEquals(List.of(), receiver.errors);
                assertEquals(plan.messages().size(), report.acknowledged(), report.toString());
                assertEquals(plan.messages().size(), report.attempts());
            }
        }
        assertEquals(plan.kinds().get(ImsMessage.Kind.DUPLICATE_SAME_ID), (long) sameIdRepeats[0]);
        assertTrue(ignored[0] >= plan.kinds().get(ImsMessage.Kind.STALE) + plan.kinds().get(ImsMessage.Kind.DUPLICATE_NEW_ID),
                "every stale and new-id copy arrived after what made it obsolete: " + ignored[0]);

        Map<String, PurchaseOrderVersion> pos = plan.currentPurchaseOrders();
        Map<String, SupplierInvoiceVersion> invoices = plan.currentSupplierInvoices();
        assertEquals(pos.size() + invoices.size(), held.size());
        pos.forEach((number, v) -> {
            Held h = held.get("PurchaseOrder|" + number);
            assertEquals(v.variationId(), h.variation(), number);
            assertEquals(v.actionCode().name(), h.action(), number);
            if (v.actionCode() != ActionCode.Delete) {
                assertEquals(v.status(), h.status(), number);
                assertEquals(v.totalAmount().toPlainString(), h.amount(), number);
                assertEquals(v.supplierName(), h.supplierName(), number);
            }
        });
        invoices.forEach((number, v) -> {
            Held h = held.get("SupplierInvoice|" + number);
            assertEquals(v.variationId(), h.variation(), number);
            assertEquals(v.totalAmount().toPlainString(), h.amount(), number);
        });
    }

    private static ImsTestSupport.Answer receive(Received r, Map<String, Held> held, Set<String> seenIds,
                                                 int[] sameIdRepeats, int[] ignored) throws Exception {
        Map<String, Object> p = r.parameters();
        byte[] payload = r.parts().get(1).body();
        byte[] xml = "DEFLATE".equals(p.get("encoding")) ? inflate(payload) : payload;
        Document d = parse(xml);
        String noun = d.getDocumentElement().getLocalName().substring("Sync".length());
        String header = "//o:" + noun + "Header";
        String id = xp(d, header + "/o:DocumentID/o:ID");
        long variation = Long.parseLong(xp(d, header + "/o:DocumentID/o:ID/@variationID"));
        Held incoming = new Held(variation, xp(d, "//o:ActionExpression/@actionCode"), xp(d, header + "/o:Status/o:Code"),
                noun.equals("PurchaseOrder") ? xp(d, header + "/o:ExtendedAmount") : xp(d, header + "/o:TotalAmount"),
                xp(d, header + "/o:SupplierParty/o:Name"));
        synchronized (held) {
            if (!seenIds.add((String) p.get("messageId"))) {
                sameIdRepeats[0]++;
                return ACCEPTED;
            }
            Held before = held.get(noun + "|" + id);
            if (before != null && before.variation() >= variation) {
                ignored[0]++;
                return ACCEPTED;
            }
            held.put(noun + "|" + id, incoming);
        }
        return ACCEPTED;
    }
}
