package io.mlconnector.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    private static final byte[] AAD = "purpose".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void parsesLinesCommentsAndCommasKeepingTheFirstKeyAsCurrent() {
        String k2 = KeyRing.generateKeyLine("k2");
        String k1 = KeyRing.generateKeyLine("k1");
        KeyRing lines = KeyRing.parse("# rotated 2026-11, see the runbook\n" + k2 + "\n\n  " + k1 + "  \n", "test");
        KeyRing commas = KeyRing.parse(k2 + "," + k1, "test");

        assertEquals("k2", lines.currentKeyId());
        assertEquals(List.of("k2", "k1"), List.copyOf(lines.keyIds()));
        byte[] sealed = lines.encrypt("k1", AAD, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, commas.decrypt("k1", AAD, sealed), "same keys, either notation");
    }

    @Test
    void everyKeyDecryptsAndTheAadMustMatch() {
        KeyRing keys = KeyRing.parse(KeyRing.generateKeyLine("new") + "\n" + KeyRing.generateKeyLine("old"), "test");
        byte[] plain = "s3cr3t".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = keys.encrypt("old", AAD, plain);

        assertArrayEquals(plain, keys.decrypt("old", AAD, sealed));
        assertThrows(SecretException.class, () -> keys.decrypt("new", AAD, sealed), "another key");
        assertThrows(SecretException.class, () -> keys.decrypt("old", "other".getBytes(StandardCharsets.UTF_8), sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SecretException.class, () -> keys.decrypt("old", AAD, sealed), "altered");
        assertThrows(SecretException.class, () -> keys.decrypt("old", AAD, new byte[5]), "truncated");
    }

    @Test
    void eachEncryptionUsesAFreshIv() {
        KeyRing keys = KeyRing.parse(KeyRing.generateKeyLine("k1"), "test");
        byte[] plain = "same".getBytes(StandardCharsets.UTF_8);
        assertFalse(java.util.Arrays.equals(keys.encrypt("k1", AAD, plain), keys.encrypt("k1", AAD, plain)));
    }

    @Test
    void badKeyTextIsRejectedWithoutEchoingKeyMaterial() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        for (String text : List.of("", "# only a comment", key, "=" + key, key + "=" + key,
                "k1=" + shortKey, "k1=not*base64", "k1=" + key + "\nk1=" + key, "k.1=" + key)) {
            SecretException e = assertThrows(SecretException.class, () -> KeyRing.parse(text, "key file /keys"), text);
            assertTrue(e.getMessage().startsWith("key file /keys"), e.getMessage());
            assertFalse(e.getMessage().contains(key.substring(0, 20)) || e.getMessage().contains(shortKey.substring(0, 20)),
                    e.getMessage());
        }
    }

    @Test
    void anUnknownKeyIdNamesTheKnownOnes() {
        KeyRing keys = KeyRing.parse(KeyRing.generateKeyLine("k1") + "," + KeyRing.generateKeyLine("k0"), "test");
        SecretException e = assertThrows(SecretException.class, () -> keys.decrypt("k9", AAD, new byte[40]));
        assertEquals("no key 'k9' in the key ring (it holds k1, k0)", e.getMessage());
        assertEquals(Set.of("k1", "k0"), keys.keyIds());
    }

    @Test
    void aKeyFileThatGroupOrOthersMayReadOrWriteIsRefusedWithTheCommandToRun() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
        String line = KeyRing.generateKeyLine("k1");
        Path file = Files.writeString(dir.resolve("keys"), line + "\n");
        for (String loose : List.of("rw-r--r--", "rw-r-----", "rw--w----", "rw----r--", "rw-----w-", "rw-rw-rw-")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(loose));
            SecretException e = assertThrows(SecretException.class, () -> KeyRing.fromFile(file), loose);
            assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
            assertTrue(e.getMessage().contains(loose), e.getMessage());
            assertFalse(e.getMessage().contains(line.substring(3, 20)), "no key material: " + e.getMessage());
        }
        for (String ownerOnly : List.of("rw-------", "r--------")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(ownerOnly));
            assertEquals("k1", KeyRing.fromFile(file).currentKeyId(), ownerOnly);
        }
    }

    @Test
    void aKeyFileWithoutPosixPermissionsIsReadWithAWarning() throws Exception {
        // A zip file system has no POSIX view, like a Windows or SMB mount.
        Path zip = dir.resolve("keys.zip");
        String line = KeyRing.generateKeyLine("k1");
        List<LogRecord> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger(KeyRing.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Path file = Files.writeString(fs.getPath("/keys"), line + "\n");
            assumeTrue(!fs.supportedFileAttributeViews().contains("posix"), "a file system without POSIX permissions");
            assertEquals("k1", KeyRing.fromFile(file).currentKeyId());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), "one warning");
        String warning = new SimpleFormatter().formatMessage(warnings.get(0));
        assertTrue(warning.contains("without POSIX permissions"), warning);
        assertFalse(warning.contains(line.substring(3, 20)), warning);
    }
}
