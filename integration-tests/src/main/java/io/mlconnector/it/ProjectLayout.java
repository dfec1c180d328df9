package io.mlconnector.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the build leaves what the harness needs: the stock Kafka classpaths collected by
 * {@code kafka-runtime} and {@code kafka-runtime-3.9}, the component archive of each plugin module and the secrets jar.
 */
public final class ProjectLayout {

    /**
     * The plugin modules, each packaging one archive: both connectors of a system, and the ION push source, which
     * needs neither the ION API client nor its token.
     */
    public static final List<String> PLUGIN_MODULES = List.of("infor-connectors", "asana-connectors", "ion-bod-source");

    private final Path home;

    private ProjectLayout(Path home) {
        this.home = home;
    }

    /** The project found from the {@code mlconnector.home} property, else from the working directory upwards. */
    public static ProjectLayout locate() {
        String configured = System.getProperty("mlconnector.home");
        Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("kafka-runtime/pom.xml"))) {
                return new ProjectLayout(dir);
            }
        }
        throw new IllegalStateException("cannot find the ml-connector project above " + start
                + "; set -Dmlconnector.home=<checkout>");
    }

    public Path home() {
        return home;
    }

    /** The current Kafka line's classpath (kafka-runtime, {@code -Dkafka.runtime.version}). */
    public Path kafkaLib() {
        return kafkaLib("kafka-runtime");
    }

    /** The classpath of the oldest Kafka line the plugins claim (kafka-runtime-3.9). */
    public Path oldestKafkaLib() {
        return kafkaLib("kafka-runtime-3.9");
    }

    private Path kafkaLib(String module) {
        Path lib = home.resolve(module).resolve("target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: run `mvn -DskipTests package` first");
        }
        return lib;
    }

    public List<Path> pluginArchives() {
        return PLUGIN_MODULES.stream().map(this::pluginArchive).toList();
    }

    /** The jar of the {@code mlsecret} ConfigProvider, which goes into plugin.path as it is. */
    public Path secretsProviderJar() {
        Path target = home.resolve("secrets/target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("ml-connector-secrets-.*\\.jar")
                    && !p.getFileName().toString().endsWith("-tests.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one ml-connector-secrets jar in " + target + ", found " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalStateException(target + " is missing: run `mvn -DskipTests package` first", e);
        }
    }

    public Path pluginArchive(String module) {
        Path packages = home.resolve(module).resolve("target/components/packages");
        try (Stream<Path> files = Files.list(packages)) {
            List<Path> zips = files.filter(p -> p.getFileName().toString().endsWith(".zip")).toList();
            if (zips.size() != 1) {
                throw new IllegalStateException("expected one component archive in " + packages + ", found " + zips);
            }
            return zips.get(0);
        } catch (IOException e) {
            throw new IllegalStateException(packages + " is missing: run `mvn -DskipTests package` first", e);
        }
    }
}
