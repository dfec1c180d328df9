package io.mlconnector.bench;

import io.mlconnector.it.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** What the figures ran on: cores, memory, load, Java, and the Kafka jars the harness started. */
final class Machine {

    private Machine() {
    }

    static String describe() throws IOException {
        return String.format(Locale.ROOT, "%d cores, %s RAM, load %s, Java %s, Kafka %s",
                Runtime.getRuntime().availableProcessors(), memory(), load(), System.getProperty("java.version"), kafka());
    }

    private static String memory() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (!Files.isReadable(meminfo)) {
            return "?";
        }
        try (Stream<String> lines = Files.lines(meminfo)) {
            long kb = lines.filter(l -> l.startsWith("MemTotal:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
            return String.format(Locale.ROOT, "%.0f GB", kb / 1024.0 / 1024.0);
        }
    }

    private static String load() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.isReadable(loadavg) ? Files.readString(loadavg).split(" ")[0] + " (1 min) at the end" : "?";
    }

    /** The version in the name of the kafka-clients jar under kafka-runtime/target/lib. */
    private static String kafka() throws IOException {
        try (Stream<Path> jars = Files.list(ProjectLayout.locate().kafkaLib())) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.matches("kafka-clients-[0-9.]+\\.jar"))
                    .map(n -> n.substring("kafka-clients-".length(), n.length() - ".jar".length())).findFirst().orElse("?");
        }
    }
}
