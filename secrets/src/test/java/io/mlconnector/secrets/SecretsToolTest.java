package io.mlconnector.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void generatedKeysEncryptATokenFromStdinAndAWholeIonapiFile() throws Exception {
        assertEquals(0, run("", "generate-key", "--id", "k1"));
        String keyLine = out().strip();
        assertTrue(keyLine.matches("k1=[A-Za-z0-9+/]{43}="), keyLine);
        Path keyFile = KeyFiles.write(dir.resolve("keys"), keyLine + "\n");
        KeyRing keys = KeyRing.fromFile(keyFile);

        assertEquals(0, run("2/1200/token\n", "encrypt", "--key-file", keyFile.toString()));
        String token = out().strip();
        assertEquals("2/1200/token", SecretEnvelope.open(keys, token), "the trailing line break is dropped");

        String ionapi = "{\n  \"ti\": \"ACME_TST\",\n  \"sask\": \"sask-value\"\n}\n";
        Path file = Files.writeString(dir.resolve("ACME_TST.ionapi"), ionapi);
        assertEquals(0, run("", "encrypt", "--key-file", keyFile.toString(), "--in", file.toString()));
        String sealed = out().strip();
        assertFalse(sealed.contains("sask"));
        assertEquals(ionapi.strip(), SecretEnvelope.open(keys, sealed));
    }

    @Test
    void reencryptMovesAnEnvelopeToTheFirstKeyWithoutPrintingIt() throws Exception {
        String oldLine = KeyRing.generateKeyLine("old");
        String before = SecretEnvelope.seal(KeyRing.parse(oldLine, "test"), "plain-secret");
        Path keyFile = KeyFiles.write(dir.resolve("keys"), KeyRing.generateKeyLine("new") + "\n" + oldLine + "\n");

        assertEquals(0, run(before + "\n", "reencrypt", "--key-file", keyFile.toString()));
        String after = out().strip();
        assertEquals("new", SecretEnvelope.keyId(after));
        assertEquals("plain-secret", SecretEnvelope.open(KeyRing.fromFile(keyFile), after));
        assertFalse(after.contains("plain-secret"));
    }

    @Test
    void mistakesExitNonZeroWithAMessage() throws Exception {
        Path keyFile = KeyFiles.write(dir.resolve("keys"), KeyRing.generateKeyLine("k1"));
        assertEquals(2, run(""));
        assertEquals(2, run("", "decrypt", "--key-file", keyFile.toString()));
        assertEquals(2, run("", "encrypt", "--key-file"));
        assertEquals(1, run("v", "encrypt"));
        assertTrue(err().contains("exactly one of --key-file and --key-env"), err());
        assertEquals(1, run("v", "encrypt", "--key-file", dir.resolve("missing").toString()));
        assertEquals(1, run("", "encrypt", "--key-file", keyFile.toString(), "--in", dir.resolve("nope").toString()));
        assertEquals(1, run("not-an-envelope", "reencrypt", "--key-file", keyFile.toString()));
        assertEquals(1, run("", "generate-key", "--id", "bad id"));
        assertEquals("", out());
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedNamingTheFix() throws Exception {
        String keyLine = KeyRing.generateKeyLine("k1");
        Path keyFile = Files.writeString(dir.resolve("keys"), keyLine);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(1, run("v", "encrypt", "--key-file", keyFile.toString()));
        assertTrue(err().contains("chmod 600 " + keyFile), err());
        assertFalse(err().contains(keyLine.substring(3)), err());
        assertEquals("", out());
    }

    private int run(String stdin, String... args) {
        out.reset();
        err.reset();
        return SecretsTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
