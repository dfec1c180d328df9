package io.mlconnector.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedConfigProviderTest {

    private static final String IONAPI = "{\"ti\":\"ACME_TST\",\"sask\":\"sask-value\"}";

    @TempDir
    Path dir;

    private final String keyLine = KeyRing.generateKeyLine("k1");
    private final KeyRing keys = KeyRing.parse(keyLine, "test");

    @Test
    void resolvesInlineAndFileReferencesThroughKafkasTransformer() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("ACME_TST.ionapi.enc"), SecretEnvelope.seal(keys, IONAPI) + "\n");
        String token = SecretEnvelope.seal(keys, "2/1200/asana-token");
        EncryptedConfigProvider provider = provider(Map.of("allowed.paths", secrets.toString()));

        Map<String, String> resolved = new ConfigTransformer(Map.of("mlsecret", provider)).transform(Map.of(
                "asana.token", "${mlsecret:" + token + "}",
                "ion.credentials", "${mlsecret:" + secrets + ":ACME_TST.ionapi.enc}")).data();

        assertEquals("2/1200/asana-token", resolved.get("asana.token"));
        assertEquals(IONAPI, resolved.get("ion.credentials"));
        assertEquals(Map.of("ACME_TST.ionapi.enc", IONAPI), provider.get(secrets.toString()).data());
        assertEquals(Map.of(), provider.get("").data());
    }

    @Test
    void pathsOutsideAllowedPathsAndEscapingFileNamesAreRefused() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("x.enc"), SecretEnvelope.seal(keys, "v"));
        EncryptedConfigProvider provider = provider(Map.of("allowed.paths", allowed.toString()));

        assertThrows(ConfigException.class, () -> provider.get(other.toString(), Set.of("x.enc")));
        assertThrows(ConfigException.class, () -> provider.get(allowed + "/../other", Set.of("x.enc")));
        assertThrows(ConfigException.class, () -> provider.get(allowed.toString(), Set.of("../other/x.enc")));
        assertThrows(ConfigException.class, () -> provider.get("relative/dir", Set.of("x.enc")));
        assertEquals("v", provider(Map.of()).get(other.toString(), Set.of("x.enc")).data().get("x.enc"),
                "without allowed.paths every absolute directory is readable");
    }

    @Test
    void anUndecryptableValueFailsNamingTheKeyIdButNotTheValue() throws Exception {
        String foreign = SecretEnvelope.seal(KeyRing.parse(KeyRing.generateKeyLine("k9"), "test"), "foreign-plain");
        Files.writeString(dir.resolve("plain.txt"), "plain-token-value");
        EncryptedConfigProvider provider = provider(Map.of());

        ConfigException unknown = assertThrows(ConfigException.class, () -> provider.get("", Set.of(foreign)));
        assertTrue(unknown.getMessage().contains("no key 'k9'"), unknown.getMessage());
        ConfigException plain = assertThrows(ConfigException.class, () -> provider.get(dir.toString(), Set.of("plain.txt")));
        assertTrue(plain.getMessage().contains("plain.txt") && !plain.getMessage().contains("plain-token-value"),
                plain.getMessage());
        assertThrows(ConfigException.class, () -> provider.get(dir.toString(), Set.of("missing.enc")));
    }

    @Test
    void needsExactlyOneKeySourceAndReportsAnUnsetVariable() throws Exception {
        Path keyFile = dir.resolve("keys");
        KeyFiles.write(keyFile, KeyRing.generateKeyLine("k1"));
        assertThrows(ConfigException.class, () -> new EncryptedConfigProvider().configure(Map.of()));
        assertThrows(ConfigException.class, () -> new EncryptedConfigProvider().configure(
                Map.of("key.file", keyFile.toString(), "key.env", "ML_CONNECTOR_KEYS")));
        ConfigException unset = assertThrows(ConfigException.class, () -> new EncryptedConfigProvider().configure(
                Map.of("key.env", "ML_CONNECTOR_TEST_UNSET_VARIABLE")));
        assertTrue(unset.getMessage().contains("ML_CONNECTOR_TEST_UNSET_VARIABLE is not set"), unset.getMessage());
        assertThrows(ConfigException.class, () -> new EncryptedConfigProvider().configure(
                Map.of("key.file", keyFile.toString(), "allowed.paths", "relative")));
    }

    @Test
    void aKeyFileGroupMayReadStopsTheProvider() throws Exception {
        Path keyFile = KeyFiles.write(dir.resolve("keys"), keyLine);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));
        ConfigException e = assertThrows(ConfigException.class, () -> new EncryptedConfigProvider().configure(
                Map.of("key.file", keyFile.toString())));
        assertTrue(e.getMessage().contains("chmod 600 " + keyFile), e.getMessage());
        assertTrue(!e.getMessage().contains(keyLine.substring(3)), e.getMessage());
    }

    @Test
    void isRegisteredForServiceLoading() {
        assertTrue(ServiceLoader.load(ConfigProvider.class).stream()
                .anyMatch(p -> p.type() == EncryptedConfigProvider.class));
    }

    /** A provider whose key file holds k0 (current) and k1, the key the tests seal with. */
    private EncryptedConfigProvider provider(Map<String, String> params) throws Exception {
        Path keyFile = dir.resolve("keys");
        KeyFiles.write(keyFile, "# test keys\n" + KeyRing.generateKeyLine("k0") + "\n" + keyLine + "\n");
        Map<String, String> config = new HashMap<>(params);
        config.put("key.file", keyFile.toString());
        EncryptedConfigProvider provider = new EncryptedConfigProvider();
        provider.configure(config);
        return provider;
    }
}
