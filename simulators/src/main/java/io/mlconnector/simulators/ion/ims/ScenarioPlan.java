package io.mlconnector.simulators.ion.ims;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A seeded delivery scenario: {@code N} M3 purchase orders (and optionally supplier invoices), each published in
 * one or more variations, turned into BODs and then into the messages ION would deliver, with the
 * {@linkplain Hazards hazards} of the settings. The same settings give the same plan, byte for byte.
 *
 * <p>{@link #currentPurchaseOrders()} / {@link #currentSupplierInvoices()} give, per document, the version with the
 * highest variation id: what a correct receiver holds once every message is delivered, whatever the order,
 * duplicates and stale copies (reference 3.4). A document whose last version is a {@link ActionCode#Delete} has that
 * Delete as its current version.
 *
 * <p>Data, modelled on the M3 simulator ({@code M3Data}): PO numbers are 10 digits from {@value #FIRST_PO_NUMBER};
 * suppliers {@code S00001}..; companies/divisions 100/AAA, 100/BBB and 200/CCC, with AccountingEntityID
 * {@code CONO_DIVI} and LocationID the division's facility {@code DIVI1} (both [G]: the reference says only that M3
 * always sets LocationID); currencies EUR, SEK, USD, GBP; amounts exact {@link BigDecimal}s with 2 decimals (line
 * amount = quantity x unit price, rounded half-up; total = sum of lines); 1..maxLines lines; M3 statuses (PUSL) that
 * never go back. Every fifth supplier name and some item texts carry separators, quotes, markup characters, line
 * breaks and non-Latin text. The first variation of a document is {@code Add}, later ones {@code Replace}; variation
 * ids start at 1..5 and grow by 1..3 per version (gaps, as filtered flows produce).
 */
public final class ScenarioPlan {

    public static final long FIRST_PO_NUMBER = 4_000_000_000L;
    public static final List<String> CURRENCIES = List.of("EUR", "SEK", "USD", "GBP");
    /** M3 PO statuses (PUSL) in their order. */
    public static final List<String> STATUSES = List.of("15", "20", "35", "50", "75", "85");
    /** Free text appended to every fifth supplier name, in turn. */
    public static final List<String> FREE_TEXT_NAMES = List.of(" | \"Nord\"; Ö北京", " & Söhne <GmbH> 'Süd'",
            " Москва;\nzweite Zeile | \"q\"", " 𝄞 ]]> &amp; \r\nCRLF", " <b>&</b>; 東京|");
    public static final List<String> FREE_TEXT_ITEMS = List.of("Bolt | M8; \"zinc\", 10/pk", "Kabel Ø2 ; Größe\nB",
            "螺栓 M8 | 北京 #2", "Washer <A> & 'B'   ", "Plain item");

    private static final String[][] DIVISIONS = {{"100", "AAA"}, {"100", "BBB"}, {"200", "CCC"}};

    /**
     * @param seed             drives data and hazards (hazards use a derived seed, so changing a fraction does not
     *                         change the data)
     * @param maxVariations    each document gets 1..maxVariations versions (before an optional Delete)
     * @param maxLines         each version has 1..maxLines lines
     * @param deleteFraction   of the purchase orders, end with a Delete version ({@code round(f * N)} of them)
     * @param start            the time base: orders are dated before it, versions modified after it
     * @param firstNumber      the first PO's number; the others follow it
     */
    public record Settings(long seed, int purchaseOrders, int supplierInvoices, int maxVariations, int maxLines,
                           int suppliers, double deleteFraction, String tenant, String logicalId, Instant start,
                           Hazards hazards, long firstNumber) {

        public Settings {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(logicalId, "logicalId");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(hazards, "hazards");
            if (purchaseOrders < 0 || supplierInvoices < 0 || maxVariations < 1 || maxLines < 1 || suppliers < 1) {
                throw new IllegalArgumentException("counts must be positive");
            }
            if (supplierInvoices > 0 && purchaseOrders == 0) {
                throw new IllegalArgumentException("supplier invoices reference purchase orders; plan at least one");
            }
            if (!(deleteFraction >= 0 && deleteFraction <= 1)) {
                throw new IllegalArgumentException("deleteFraction must be within [0, 1]");
            }
        }

        /**
         * Seed 42, 20 POs, no invoices, up to 3 variations and 3 lines, 50 suppliers, no deletes, tenant
         * {@code ACME_TST}, publisher {@code lid://infor.m3.m3}, start 2026-12-01T08:00Z, {@link Hazards#typical()}.
         */
        public static Settings defaults() {
            return new Settings(42L, 20, 0, 3, 3, 50, 0, "ACME_TST", "lid://infor.m3.m3",
                    Instant.parse("2026-12-01T08:00:00Z"), Hazards.typical(), FIRST_PO_NUMBER);
        }

        public Settings withSeed(long v) {
            return new Settings(v, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withPurchaseOrders(int v) {
            return new Settings(seed, v, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withSupplierInvoices(int v) {
            return new Settings(seed, purchaseOrders, v, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withMaxVariations(int v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, v, maxLines, suppliers, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withMaxLines(int v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, v, suppliers, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withSuppliers(int v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, v, deleteFraction, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withDeleteFraction(double v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, v, tenant, logicalId, start, hazards, firstNumber);
        }

        public Settings withTenant(String v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, v, logicalId, start, hazards, firstNumber);
        }

        public Settings withLogicalId(String v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, v, start, hazards, firstNumber);
        }

        public Settings withStart(Instant v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, v, hazards, firstNumber);
        }

        public Settings withFirstNumber(long v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, start, hazards, v);
        }

        public Settings withHazards(Hazards v) {
            return new Settings(seed, purchaseOrders, supplierInvoices, maxVariations, maxLines, suppliers, deleteFraction, tenant, logicalId, start, v, firstNumber);
        }
    }

    private record Supplier(String id, String name, String currency) {
    }

    private final Settings settings;
    private final List<PurchaseOrderVersion> poVersions = new ArrayList<>();
    private final List<SupplierInvoiceVersion> invoiceVersions = new ArrayList<>();
    private final List<BodDocument> documents = new ArrayList<>();
    private final List<ImsMessage> messages;

    private ScenarioPlan(Settings settings) {
        this.settings = settings;
        Random rnd = new Random(settings.seed());
        BodFactory factory = new BodFactory(Clock.systemUTC(), BodFactory.DEFAULT_COMPONENT_ID, "");
        List<Supplier> suppliers = new ArrayList<>();
        for (int s = 1; s <= settings.suppliers(); s++) {
            String name = "Supplier " + s + (s % 5 == 0 ? FREE_TEXT_NAMES.get((s / 5 - 1) % FREE_TEXT_NAMES.size()) : "");
            suppliers.add(new Supplier(String.format("S%05d", s), name, CURRENCIES.get(rnd.nextInt(CURRENCIES.size()))));
        }
        int n = settings.purchaseOrders();
        boolean[] deleted = Hazards.pick(n, Hazards.count(settings.deleteFraction(), n), rnd);
        List<PurchaseOrderVersion> lastOfPo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<PurchaseOrderVersion> versions = purchaseOrder(i, rnd, suppliers, deleted[i]);
            for (PurchaseOrderVersion v : versions) {
                poVersions.add(v);
                documents.add(factory.purchaseOrder(v, v.lastModified(), Set.of()));
            }
            lastOfPo.add(versions.get(versions.size() - (deleted[i] ? 2 : 1)));
        }
        for (int j = 0; j < settings.supplierInvoices(); j++) {
            PurchaseOrderVersion po = lastOfPo.get(j % n);
            int count = 1 + rnd.nextInt(settings.maxVariations());
            long variation = 1 + rnd.nextInt(5);
            String number = (j % 7 == 3 ? "INV|" + (5_000_000 + j) + ";\"Ö\"" : "INV-" + (5_000_000 + j));
            List<SupplierInvoiceVersion.Line> lines = new ArrayList<>();
            for (PurchaseOrderVersion.Line l : po.lines()) {
                lines.add(new SupplierInvoiceVersion.Line(l.lineNumber(), l.itemId(), l.description(), l.quantity(),
                        l.unitCode(), l.lineAmount()));
            }
            LocalDate date = po.orderDate().plusDays(7 + rnd.nextInt(30));
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    // a later version: one line's amount corrected
                    int at = rnd.nextInt(lines.size());
                    SupplierInvoiceVersion.Line l = lines.get(at);
                    lines.set(at, new SupplierInvoiceVersion.Line(l.lineNumber(), l.itemId(), l.description(),
                            l.quantity(), l.unitCode(), l.lineAmount().add(BigDecimal.valueOf(1 + rnd.nextInt(999), 2))));
                    variation += 1 + rnd.nextInt(3);
                }
                SupplierInvoiceVersion v = new SupplierInvoiceVersion(settings.tenant(), po.accountingEntity(),
                        po.location(), settings.logicalId(), number, variation, k == 0 ? ActionCode.Add : ActionCode.Replace,
                        date, po.supplierId(), po.supplierName(), po.currency(),
                        lines.stream().map(SupplierInvoiceVersion.Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add),
                        po.number(), lines);
                invoiceVersions.add(v);
                Instant created = settings.start().plus(Duration.ofMinutes(j)).plus(Duration.ofHours(k + 1L));
                documents.add(factory.supplierInvoice(v, created, Set.of()));
            }
        }
        this.messages = List.copyOf(settings.hazards().apply(documents, new Random(settings.seed() ^ 0x5DEECE66DL)));
    }

    private List<PurchaseOrderVersion> purchaseOrder(int i, Random rnd, List<Supplier> suppliers, boolean deleted) {
        String[] division = DIVISIONS[i % DIVISIONS.length];
        String accountingEntity = division[0] + "_" + division[1];
        String location = division[1] + "1";
        String number = String.valueOf(settings.firstNumber() + i);
        Supplier supplier = suppliers.get(rnd.nextInt(suppliers.size()));
        LocalDate orderDate = LocalDate.ofInstant(settings.start(), ZoneOffset.UTC).minusDays(1 + rnd.nextInt(365));
        String buyer = String.format("BUYER%02d", 1 + rnd.nextInt(3));
        int count = 1 + rnd.nextInt(settings.maxVariations());
        long variation = 1 + rnd.nextInt(5);
        int status = rnd.nextInt(2);
        List<PurchaseOrderVersion.Line> lines = new ArrayList<>();
        int lineCount = 1 + rnd.nextInt(settings.maxLines());
        for (int l = 1; l <= lineCount; l++) {
            lines.add(line(l, rnd, number));
        }
        List<PurchaseOrderVersion> versions = new ArrayList<>();
        Instant modified = settings.start().plus(Duration.ofMinutes(i));
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                variation += 1 + rnd.nextInt(3);
                status = Math.min(STATUSES.size() - 1, status + rnd.nextInt(2));
                modified = modified.plus(Duration.ofMinutes(30 + rnd.nextInt(600)));
                int change = rnd.nextInt(3);
                if (change == 0 && lines.size() < settings.maxLines()) {
                    lines.add(line(lines.get(lines.size() - 1).lineNumber() + 1, rnd, number));
                } else if (change == 1 && lines.size() > 1) {
                    lines.remove(rnd.nextInt(lines.size()));
                } else {
                    int at = rnd.nextInt(lines.size());
                    PurchaseOrderVersion.Line old = lines.get(at);
                    BigDecimal quantity = old.quantity().add(BigDecimal.ONE);
                    lines.set(at, new PurchaseOrderVersion.Line(old.lineNumber(), old.itemId(), old.description(),
                            quantity, old.unitCode(), old.unitPrice(),
                            quantity.multiply(old.unitPrice()).setScale(2, RoundingMode.HALF_UP)));
                }
            }
            versions.add(new PurchaseOrderVersion(settings.tenant(), accountingEntity, location, settings.logicalId(),
                    number, variation, k == 0 ? ActionCode.Add : ActionCode.Replace, STATUSES.get(status),
                    supplier.id(), supplier.name(), orderDate, supplier.currency(), total(lines), buyer, modified,
                    List.copyOf(lines)));
        }
        if (deleted) {
            PurchaseOrderVersion last = versions.get(versions.size() - 1);
            versions.add(new PurchaseOrderVersion(last.tenant(), accountingEntity, location, last.logicalId(), number,
                    variation + 1 + rnd.nextInt(3), ActionCode.Delete, null, null, null, null, null, null, null,
                    modified.plus(Duration.ofHours(1)), List.of()));
        }
        return versions;
    }

    private static PurchaseOrderVersion.Line line(int number, Random rnd, String poNumber) {
        boolean weighed = rnd.nextInt(4) == 0;
        BigDecimal quantity = weighed ? BigDecimal.valueOf(1 + rnd.nextInt(100_000), 3) : BigDecimal.valueOf(1 + rnd.nextInt(500));
        BigDecimal price = BigDecimal.valueOf(100 + rnd.nextInt(1_000_000), 2);
        String description = FREE_TEXT_ITEMS.get(Math.floorMod(poNumber.hashCode() + number, FREE_TEXT_ITEMS.size()));
        return new PurchaseOrderVersion.Line(number, "ITEM-" + (1000 + rnd.nextInt(9000)), description, quantity,
                weighed ? "KG" : "EA", price, quantity.multiply(price).setScale(2, RoundingMode.HALF_UP));
    }

    private static BigDecimal total(List<PurchaseOrderVersion.Line> lines) {
        return lines.stream().map(PurchaseOrderVersion.Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    public static ScenarioPlan generate(Settings settings) {
        return new ScenarioPlan(settings);
    }

    public Settings settings() {
        return settings;
    }

    /** The messages to deliver: round 0 (originals) first, then round 1 (stale and duplicate copies). */
    public List<ImsMessage> messages() {
        return messages;
    }

    /** One BOD per published version, in publishing order (POs, then invoices). */
    public List<BodDocument> documents() {
        return Collections.unmodifiableList(documents);
    }

    public List<PurchaseOrderVersion> purchaseOrderVersions() {
        return Collections.unmodifiableList(poVersions);
    }

    public List<SupplierInvoiceVersion> supplierInvoiceVersions() {
        return Collections.unmodifiableList(invoiceVersions);
    }

    /** Per PO number, the version with the highest variation id. */
    public Map<String, PurchaseOrderVersion> currentPurchaseOrders() {
        Map<String, PurchaseOrderVersion> current = new TreeMap<>();
        for (PurchaseOrderVersion v : poVersions) {
            current.merge(v.number(), v, (a, b) -> b.variationId() > a.variationId() ? b : a);
        }
        return Collections.unmodifiableMap(current);
    }

    /** Per invoice number, the version with the highest variation id. */
    public Map<String, SupplierInvoiceVersion> currentSupplierInvoices() {
        Map<String, SupplierInvoiceVersion> current = new TreeMap<>();
        for (SupplierInvoiceVersion v : invoiceVersions) {
            current.merge(v.invoiceNumber(), v, (a, b) -> b.variationId() > a.variationId() ? b : a);
        }
        return Collections.unmodifiableMap(current);
    }

    /** Messages per kind. */
    public Map<ImsMessage.Kind, Long> kinds() {
        Map<ImsMessage.Kind, Long> counts = new LinkedHashMap<>();
        for (ImsMessage.Kind k : ImsMessage.Kind.values()) {
            counts.put(k, messages.stream().filter(m -> m.kind() == k).count());
        }
        return counts;
    }
}
