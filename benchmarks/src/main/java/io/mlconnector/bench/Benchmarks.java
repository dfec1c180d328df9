package io.mlconnector.bench;

import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks of issue 11 on one real broker and Connect worker with the simulators in this JVM: the Infor
 * source, the Asana sink, the webhook source and the loop from a PO to its task. Prints one table, each figure next
 * to its limit, and writes it to {@code benchmarks/target/results.md}.
 *
 * <p>{@code Benchmarks [--size smoke|full]}; {@code mlconnector.work} names the cluster's directory.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Size size = Size.SMOKE;
        if (args.length == 2 && args[0].equals("--size")) {
            size = Size.valueOf(args[1].toUpperCase(Locale.ROOT));
        } else if (args.length != 0) {
            System.err.println("usage: Benchmarks [--size smoke|full]");
            System.exit(2);
        }
        List<Figure> figures = run(size);
        System.exit(figures.stream().allMatch(f -> f.passed() == null || f.passed()) ? 0 : 1);
    }

    /** Runs every benchmark at this size, prints the table and writes it; returns its lines. */
    static List<Figure> run(Size size) throws Exception {
        Path home = ProjectLayout.locate().home();
        Path work = Path.of(System.getProperty("mlconnector.work", home.resolve("benchmarks/target/bench-cluster").toString()));
        Instant started = Instant.now();
        List<Figure> figures = new ArrayList<>();
        try (KafkaConnectCluster cluster = KafkaConnectCluster.forProject(work).build().start()) {
            figures.addAll(InforSourceBench.run(cluster, size));
            figures.addAll(AsanaSinkBench.run(cluster, size));
            figures.addAll(WebhookBench.run(cluster, size));
            figures.addAll(EndToEndBench.run(cluster, size));
        }
        String table = table(size, figures, Duration.between(started, Instant.now()));
        System.out.println(table);
        Path results = home.resolve("benchmarks/target/results.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, table);
        return figures;
    }

    private static String table(Size size, List<Figure> figures, Duration took) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Benchmarks, size %s, %s, %d s; %s%n%n", size.name().toLowerCase(Locale.ROOT),
                Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC", took.toSeconds(), Machine.describe()));
        out.append("| benchmark | figure | measured | limit / bar | |\n|---|---|---|---|---|\n");
        for (Figure f : figures) {
            out.append("| ").append(f.benchmark()).append(" | ").append(f.measure()).append(" | ").append(f.value())
                    .append(" | ").append(f.limit()).append(" | ").append(f.verdict()).append(" |\n");
        }
        return out.toString();
    }
}
