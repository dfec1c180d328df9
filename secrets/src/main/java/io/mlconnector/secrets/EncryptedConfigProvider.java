package io.mlconnector.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Decrypts {@link SecretEnvelope}s on the worker, so the config topic and the REST API hold only references.
 * {@code ${mlsecret:mlenc1.k1.XXXX}} carries the envelope inline; {@code ${mlsecret:/dir:file}} reads one
 * envelope from a file (a whole .ionapi file, say). Parameters: {@code key.file} or {@code key.env} (the
 * {@link KeyRing}, read once when the worker starts) and, like Kafka's DirectoryConfigProvider,
 * {@code allowed.paths}.
 */
public final class EncryptedConfigProvider implements ConfigProvider {

    public static final String KEY_FILE = "key.file";
    public static final String KEY_ENV = "key.env";
    public static final String ALLOWED_PATHS = "allowed.paths";

    private KeyRing keys;
    private List<Path> allowedPaths = List.of();

    @Override
    public void configure(Map<String, ?> configs) {
        Object file = configs.get(KEY_FILE);
        Object env = configs.get(KEY_ENV);
        if ((file == null) == (env == null)) {
            throw new ConfigException(getClass().getSimpleName() + " needs exactly one of the parameters "
                    + KEY_FILE + " and " + KEY_ENV);
        }
        try {
            keys = file != null ? KeyRing.fromFile(Path.of(file.toString())) : KeyRing.fromEnvironment(env.toString());
        } catch (SecretException e) {
            throw new ConfigException(e.getMessage());
        }
        Object allowed = configs.get(ALLOWED_PATHS);
        if (allowed != null && !allowed.toString().isBlank()) {
            allowedPaths = Arrays.stream(allowed.toString().split(",")).map(String::strip).map(p -> {
                Path path = Path.of(p);
                if (!path.isAbsolute()) {
                    throw new ConfigException(ALLOWED_PATHS, p, "must be an absolute path");
                }
                return path.normalize();
            }).toList();
        }
    }

    /** Every file of the directory, decrypted; nothing for the inline form, whose keys are the values. */
    @Override
    public ConfigData get(String path) {
        if (path == null || path.isEmpty()) {
            return new ConfigData(Map.of());
        }
        try (Stream<Path> files = Files.list(directory(path))) {
            return get(path, files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .collect(Collectors.toSet()));
        } catch (IOException e) {
            throw new ConfigException("cannot list " + path + ": " + e.getClass().getSimpleName());
        }
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            data.put(key, path == null || path.isEmpty() ? openInline(key) : openFile(directory(path), key));
        }
        return new ConfigData(data);
    }

    private String openInline(String envelope) {
        try {
            return SecretEnvelope.open(keys, envelope);
        } catch (SecretException e) {
            throw new ConfigException("cannot decrypt an inline encrypted value: " + e.getMessage());
        }
    }

    private String openFile(Path dir, String name) {
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new ConfigException("'" + name + "' is not a file name in " + dir);
        }
        try {
            return SecretEnvelope.open(keys, Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getClass().getSimpleName());
        } catch (SecretException e) {
            throw new ConfigException("cannot decrypt " + file + ": " + e.getMessage());
        }
    }

    private Path directory(String path) {
        Path dir = Path.of(path).normalize();
        if (!dir.isAbsolute()) {
            throw new ConfigException("'" + path + "' is not an absolute path");
        }
        if (!allowedPaths.isEmpty() && allowedPaths.stream().noneMatch(dir::startsWith)) {
            throw new ConfigException(path + " is not under the " + ALLOWED_PATHS + " of " + getClass().getSimpleName());
        }
        return dir;
    }

    @Override
    public void close() {
        // nothing open: the key ring is in memory, files are read per lookup
    }
}
