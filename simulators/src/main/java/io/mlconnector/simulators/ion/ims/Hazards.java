package io.mlconnector.simulators.ion.ims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The delivery hazards of reference 1.1, 1.10 and 6.2 that a list of BODs is expanded with before sending. Every
 * fraction is turned into an exact count, {@code round(fraction * population)}, and the members are drawn with the
 * given {@link Random}, so the same seed gives the same messages (message ids included).
 *
 * @param duplicateSameIdFraction of the originals, resent once more with the SAME messageId (round 1)
 * @param duplicateNewIdFraction  of the originals, resent once more with a NEW messageId, same document and
 *                                variation (round 1)
 * @param staleFraction           of the documents that have two or more variations in the list: one older variation
 *                                (drawn) is moved to round 1, so it arrives after the newest variation
 * @param deflateFraction         of the originals, sent {@code DEFLATE}; the rest {@code NONE}. Copies keep the
 *                                encoding of what they copy.
 * @param extendedIdFraction      of the originals, given the extended id form {@code <sourceId>:-ION-:<uuid32>}
 *                                (reference 1.5); the source id is {@code <documentName>-<documentId>-<variationId>}
 *                                trimmed to 128 characters
 */
public record Hazards(double duplicateSameIdFraction, double duplicateNewIdFraction, double staleFraction,
                      double deflateFraction, double extendedIdFraction) {

    /** No hazards: one {@code NONE}-encoded original per document, with a 32-hex id. */
    public static final Hazards NONE = new Hazards(0, 0, 0, 0, 0);

    public Hazards {
        check("duplicateSameIdFraction", duplicateSameIdFraction);
        check("duplicateNewIdFraction", duplicateNewIdFraction);
        check("staleFraction", staleFraction);
        check("deflateFraction", deflateFraction);
        check("extendedIdFraction", extendedIdFraction);
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1]: " + value);
        }
    }

    /** 10 % same-id duplicates, 10 % new-id duplicates, 30 % of multi-variation documents stale, half DEFLATE. */
    public static Hazards typical() {
        return new Hazards(0.1, 0.1, 0.3, 0.5, 0);
    }

    public Hazards withDuplicateSameIdFraction(double v) {
        return new Hazards(v, duplicateNewIdFraction, staleFraction, deflateFraction, extendedIdFraction);
    }

    public Hazards withDuplicateNewIdFraction(double v) {
        return new Hazards(duplicateSameIdFraction, v, staleFraction, deflateFraction, extendedIdFraction);
    }

    public Hazards withStaleFraction(double v) {
        return new Hazards(duplicateSameIdFraction, duplicateNewIdFraction, v, deflateFraction, extendedIdFraction);
    }

    public Hazards withDeflateFraction(double v) {
        return new Hazards(duplicateSameIdFraction, duplicateNewIdFraction, staleFraction, v, extendedIdFraction);
    }

    public Hazards withExtendedIdFraction(double v) {
        return new Hazards(duplicateSameIdFraction, duplicateNewIdFraction, staleFraction, deflateFraction, v);
    }

    /** {@code round(fraction * population)}. */
    static int count(double fraction, int population) {
        return (int) Math.round(fraction * population);
    }

    /** A 32-hex message id (a UUID without hyphens, reference 1.5) drawn from {@code rnd}. */
    static String hexId(Random rnd) {
        return String.format(Locale.ROOT, "%016x%016x", rnd.nextLong(), rnd.nextLong());
    }

    /**
     * Originals (round 0, in document order; STALE ones moved to round 1), then the duplicates (round 1). The
     * result lists round 0 first.
     */
    public List<ImsMessage> apply(List<BodDocument> documents, Random rnd) {
        int n = documents.size();
        boolean[] deflate = pick(n, count(deflateFraction, n), rnd);
        boolean[] extended = pick(n, count(extendedIdFraction, n), rnd);
        List<ImsMessage> originals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BodDocument d = documents.get(i);
            originals.add(ImsMessage.of(extended[i] ? extendedId(d, rnd) : hexId(rnd), d,
                    deflate[i] ? ImsMessage.Encoding.DEFLATE : ImsMessage.Encoding.NONE));
        }
        // stale: per document with >= 2 distinct variations, move one older variation behind the newest
        Map<String, List<Integer>> byDocument = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byDocument.computeIfAbsent(documents.get(i).documentKey(), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> eligible = new ArrayList<>();
        for (List<Integer> indexes : byDocument.values()) {
            long max = indexes.stream().mapToLong(i -> documents.get(i).variationId()).max().orElseThrow();
            if (indexes.stream().anyMatch(i -> documents.get(i).variationId() < max)) {
                eligible.add(indexes);
            }
        }
        boolean[] staleDocs = pick(eligible.size(), count(staleFraction, eligible.size()), rnd);
        for (int e = 0; e < eligible.size(); e++) {
            if (staleDocs[e]) {
                List<Integer> indexes = eligible.get(e);
                long max = indexes.stream().mapToLong(i -> documents.get(i).variationId()).max().orElseThrow();
                List<Integer> older = indexes.stream().filter(i -> documents.get(i).variationId() < max).toList();
                int chosen = older.get(rnd.nextInt(older.size()));
                originals.set(chosen, originals.get(chosen).with(originals.get(chosen).messageId(), 1, ImsMessage.Kind.STALE));
            }
        }
        List<ImsMessage> out = new ArrayList<>(n + count(duplicateSameIdFraction, n) + count(duplicateNewIdFraction, n));
        originals.stream().filter(m -> m.round() == 0).forEach(out::add);
        originals.stream().filter(m -> m.round() != 0).forEach(out::add);
        boolean[] sameId = pick(n, count(duplicateSameIdFraction, n), rnd);
        boolean[] newId = pick(n, count(duplicateNewIdFraction, n), rnd);
        for (int i = 0; i < n; i++) {
            ImsMessage m = originals.get(i);
            if (sameId[i]) {
                out.add(m.with(m.messageId(), 1, ImsMessage.Kind.DUPLICATE_SAME_ID));
            }
            if (newId[i]) {
                out.add(m.with(hexId(rnd), 1, ImsMessage.Kind.DUPLICATE_NEW_ID));
            }
        }
        return out;
    }

    private static String extendedId(BodDocument d, Random rnd) {
        String source = d.documentName() + "-" + d.documentId() + "-" + d.variationId();
        return (source.length() > 128 ? source.substring(0, 128) : source) + ":-ION-:" + hexId(rnd);
    }

    /** Exactly {@code k} of {@code n} positions, drawn with {@code rnd}. */
    static boolean[] pick(int n, int k, Random rnd) {
        List<Integer> positions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            positions.add(i);
        }
        Collections.shuffle(positions, rnd);
        boolean[] chosen = new boolean[n];
        for (int i = 0; i < Math.min(k, n); i++) {
            chosen[positions.get(i)] = true;
        }
        return chosen;
    }
}
