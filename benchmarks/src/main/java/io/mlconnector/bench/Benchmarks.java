package io.mlconnector.bench;

import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmarks of issue 11 on one real broker and Connect worker with the simulators in this JVM: the Infor
 * source, the Asana sink, the webhook source and the loop from a PO to its task. Prints one table, each figure next
 * to its limit, and writes it to {@code benchmarks/target/results.md}.
 *
 * <p>{@code Benchmarks [--size smoke|full] [--only source,sink,webhook,e2e,ion-push,three-workers]}; {@code mlconnector.work} names the
 * cluster's directory.
 */
public final class Benchmarks {

    /** One benchmark against a running cluster. */
    interface Benchmark {
        List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception;
    }

    /** Every benchmark by the name {@code --only} takes, in the order they run. */
    static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("source", InforSourceBench::run);
        BENCHMARKS.put("sink", AsanaSinkBench::run);
        BENCHMARKS.put("webhook", WebhookBench::run);
        BENCHMARKS.put("e2e", EndToEndBench::run);
        BENCHMARKS.put("ion-push", IonPushBench::run);
        BENCHMARKS.put("three-workers", ThreeWorkersBench::run);
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Size size = Size.SMOKE;
        Set<String> only = new LinkedHashSet<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--size" -> size = Size.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                case "--only" -> only.addAll(List.of(args[i + 1].split(",")));
                default -> usage();
            }
        }
        if (args.length % 2 != 0 || !BENCHMARKS.keySet().containsAll(only)) {
            usage();
        }
        List<Figure> figures = run(size, only.isEmpty() ? BENCHMARKS.keySet() : only);
        Size judged = size;
        System.exit(figures.stream().filter(f -> judged.judges(f)).allMatch(Figure::passed) ? 0 : 1);
    }

    private static void usage() {
        System.err.println("usage: Benchmarks [--size smoke|full] [--only " + String.join(",", BENCHMARKS.keySet()) + "]");
        System.exit(2);
    }

    /** Runs the named benchmarks at this size on one cluster, prints the table and writes it; returns its lines. */
    static List<Figure> run(Size size, Collection<String> names) throws Exception {
        Path home = ProjectLayout.locate().home();
        Path work = Path.of(System.getProperty("mlconnector.work", home.resolve("benchmarks/target/bench-cluster").toString()));
        deleteRecursively(work);
        Instant started = Instant.now();
        List<Figure> figures = new ArrayList<>();
        try (KafkaConnectCluster cluster = KafkaConnectCluster.forProject(work).reachSimulators().pluginLogLevel("INFO")
                .build().start()) {
            for (String name : names) {
                figures.addAll(BENCHMARKS.get(name).run(cluster, size));
            }
        }
        String table = table(size, figures, Duration.between(started, Instant.now()));
        System.out.println(table);
        Path results = home.resolve("benchmarks/target/results.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, table);
        return figures;
    }

    /** Each run starts a fresh broker and worker: no topic, offset or plugin is left from the last one. */
    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String table(Size size, List<Figure> figures, Duration took) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Benchmarks, size %s, %s, %d s; %s%n%n", size.name().toLowerCase(Locale.ROOT),
                Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC", took.toSeconds(), Machine.describe()));
        out.append("| benchmark | figure | measured | limit / bar | |\n|---|---|---|---|---|\n");
        for (Figure f : figures) {
            out.append("| ").append(f.benchmark()).append(" | ").append(f.measure()).append(" | ").append(f.value())
                    .append(" | ").append(f.limit()).append(" | ")
                    .append(f.passed() == null || size.judges(f) ? f.verdict() : "not judged at this size").append(" |\n");
        }
        return out.toString();
    }
}
