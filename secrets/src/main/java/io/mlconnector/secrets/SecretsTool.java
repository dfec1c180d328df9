package io.mlconnector.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ml-connector-secrets.jar} generate-key, encrypt and reencrypt. Values come from stdin or
 * {@code --in FILE} and are written to stdout; plaintext is never printed.
 */
public final class SecretsTool {

    private static final String USAGE = """
            usage:
              generate-key --id ID
                  prints a new key line ID=base64 for the key file (put the encrypting key first);
                  a key file that group or others may read or write is refused: chmod 600 FILE
              encrypt (--key-file FILE | --key-env VAR) [--in FILE]
                  encrypts stdin or FILE (a token, a whole .ionapi file) with the first key; a trailing
                  line break is dropped; prints mlenc1.<keyId>.<ciphertext>
              reencrypt (--key-file FILE | --key-env VAR) [--in FILE]
                  decrypts an envelope with whichever key sealed it and prints it sealed with the first key
            """;

    private SecretsTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** @return the process exit code */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!List.of("--id", "--key-file", "--key-env", "--in").contains(args[i]) || i + 1 == args.length) {
                err.println("unknown option or missing value: " + args[i]);
                err.print(USAGE);
                return 2;
            }
            options.put(args[i], args[i + 1]);
        }
        try {
            switch (args[0]) {
                case "generate-key" -> out.println(KeyRing.generateKeyLine(required(options, "--id")));
                case "encrypt" -> out.println(SecretEnvelope.seal(keys(options), input(options, stdin)));
                case "reencrypt" -> {
                    KeyRing keys = keys(options);
                    out.println(SecretEnvelope.seal(keys, SecretEnvelope.open(keys, input(options, stdin))));
                }
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return 1;
        } catch (SecretException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static KeyRing keys(Map<String, String> options) {
        String file = options.get("--key-file");
        String variable = options.get("--key-env");
        if ((file == null) == (variable == null)) {
            throw new IllegalArgumentException("give exactly one of --key-file and --key-env");
        }
        return file != null ? KeyRing.fromFile(Path.of(file)) : KeyRing.fromEnvironment(variable);
    }

    private static String input(Map<String, String> options, InputStream stdin) throws IOException {
        String file = options.get("--in");
        String text = file != null ? Files.readString(Path.of(file)) : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        // `echo TOKEN |` and editors end the value with a line break that is no part of the secret
        return text.replaceFirst("\\R+\\z", "");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
