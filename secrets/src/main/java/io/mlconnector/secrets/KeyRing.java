package io.mlconnector.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM keys by id. The first key encrypts, every key decrypts, so a new key can be put first while
 * what the earlier ones sealed still opens. Read from lines {@code keyId=base64-of-32-bytes} ('#' starts a
 * comment; in an environment variable the entries may also be separated by commas).
 */
public final class KeyRing {

    public static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    // System.Logger, not SLF4J: the command runs with java -jar and this jar alone on the class path
    private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

    private final Map<String, SecretKeySpec> keys;
    private final String currentKeyId;

    private KeyRing(Map<String, SecretKeySpec> keys) {
        if (keys.isEmpty()) {
            throw new SecretException("the key ring holds no key");
        }
        this.keys = Collections.unmodifiableMap(keys);
        this.currentKeyId = keys.keySet().iterator().next();
    }

    /** @param keys the encrypting key first, then earlier ones, each 32 bytes by id */
    public static KeyRing of(Map<String, byte[]> keys) {
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, key) -> specs.put(checkId(id, "the key ring"), spec(key, "key '" + id + "'")));
        return new KeyRing(specs);
    }

    /**
     * @param source where the text came from, for error messages (e.g. "key file /etc/ml-connector/keys");
     *               those count entries instead of quoting them, since a malformed entry may be key material
     */
    public static KeyRing parse(String text, String source) {
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        int number = 0;
        // comments first: one may hold a comma, which elsewhere separates entries
        List<String> entries = text.lines().filter(l -> !l.strip().startsWith("#"))
                .flatMap(l -> Arrays.stream(l.split(","))).map(String::strip).filter(e -> !e.isEmpty()).toList();
        for (String line : entries) {
            String where = source + ", key #" + ++number;
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new SecretException(where + ": not keyId=base64key");
            }
            String id = checkId(line.substring(0, eq).strip(), where);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(line.substring(eq + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new SecretException(where + ": the key is not Base64");
            }
            if (specs.put(id, spec(key, where)) != null) {
                throw new SecretException(where + ": the key id is used by an earlier key");
            }
        }
        if (specs.isEmpty()) {
            throw new SecretException(source + " holds no key");
        }
        return new KeyRing(specs);
    }

    /**
     * The keys of a key file that only its owner may read or write. On a POSIX file system a file that group or
     * others may read or write is refused before it is read; elsewhere the permissions cannot be checked, so a
     * warning is logged and the file is read.
     */
    public static KeyRing fromFile(Path file) {
        String source = "key file " + file;
        try {
            requireOwnerOnly(file, source);
            return parse(Files.readString(file), source);
        } catch (IOException e) {
            throw new SecretException(source + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static void requireOwnerOnly(Path file, String source) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            LOG.log(System.Logger.Level.WARNING, "{0} is on a file system without POSIX permissions, so whether "
                    + "only the worker''s user can read it is not checked; restrict it with the file system''s own "
                    + "access control", source);
            return;
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new SecretException(source + " may be read or written by group or others ("
                    + PosixFilePermissions.toString(permissions) + "); run chmod 600 " + file
                    + " so that only its owner can");
        }
    }

    public static KeyRing fromEnvironment(String variable) {
        String text = System.getenv(variable);
        if (text == null) {
            throw new SecretException("environment variable " + variable + " is not set");
        }
        return parse(text, "environment variable " + variable);
    }

    /** A fresh random key as a key-file line {@code keyId=base64}. */
    public static String generateKeyLine(String keyId) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return checkId(keyId, "the new key") + "=" + Base64.getEncoder().encodeToString(key);
    }

    /** The id of the key that encrypts. */
    public String currentKeyId() {
        return currentKeyId;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** IV (12 bytes), ciphertext and tag, with {@code aad} authenticated along. */
    public byte[] encrypt(String keyId, byte[] aad, byte[] plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key(keyId), iv, aad).doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The plaintext of what {@link #encrypt} returned for the same key id and {@code aad}. */
    public byte[] decrypt(String keyId, byte[] aad, byte[] sealed) {
        SecretKeySpec key = key(keyId);
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new SecretException("the ciphertext for key '" + keyId + "' is truncated");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, IV_BYTES), aad)
                    .doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SecretException("key '" + keyId + "' does not open the ciphertext: it was sealed with "
                    + "another key of that id, for another purpose, or altered");
        }
    }

    private SecretKeySpec key(String keyId) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new SecretException("no key '" + keyId + "' in the key ring (it holds " + String.join(", ", keys.keySet()) + ")");
        }
        return key;
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] iv, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher;
    }

    private static String checkId(String id, String where) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new SecretException(where + ": a key id may hold only letters, digits, '_' and '-'");
        }
        return id;
    }

    private static SecretKeySpec spec(byte[] key, String where) {
        if (key.length != KEY_BYTES) {
            throw new SecretException(where + ": the key has " + key.length + " bytes, AES-256 needs " + KEY_BYTES);
        }
        return new SecretKeySpec(key, "AES");
    }
}
