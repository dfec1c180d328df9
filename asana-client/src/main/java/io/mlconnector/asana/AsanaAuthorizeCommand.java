package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.Json;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Obtains the first refresh token of an Asana OAuth app through the authorization-code flow with PKCE (asana.md
 * §1.2): prints the authorize URL, receives the code at a loopback redirect URI, exchanges it, and writes the
 * refresh token to a file only its owner can read, or prints it once. The client secret is read from the
 * environment or the console, never from the command line, where other users of the machine could see it.
 */
public final class AsanaAuthorizeCommand {

    static final String USAGE = """
            usage: java -cp '<plugin dir>/lib/*' io.mlconnector.asana.AsanaAuthorizeCommand
                     --client-id ID --redirect-uri http://127.0.0.1:PORT/PATH [--out FILE] [--scope "SCOPES"]
                     [--asana-url https://app.asana.com] [--timeout-seconds 300]
            The client secret comes from the environment variable ASANA_CLIENT_SECRET, or is asked for.
            The redirect URI must be registered for the app in Asana's developer console, exactly as given.
            Open the printed URL in a browser signed in as the Asana user the connectors act for. The refresh
            token goes to FILE (created with owner-only permissions; an existing file is replaced) or, without
            --out, to standard output once.
            """;

    /** What the command was asked to do. {@code out} may be null: print the token instead. */
    record Options(String clientId, String clientSecret, URI redirectUri, Path out, String scope, HttpUrl asanaUrl,
            Duration timeout) {
    }

    /** The refresh token and the Asana user who granted it. */
    record Grant(String refreshToken, String userName) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AsanaAuthorizeCommand() {
    }

    public static void main(String[] args) {
        try {
            Options options = parse(args, System.getenv("ASANA_CLIENT_SECRET"));
            Grant grant = run(options, url -> System.err.println(
                    "Open this URL in a browser signed in as the Asana user the connectors act for:\n\n  " + url + "\n"),
                    System.out);
            System.err.println("Authorized by " + grant.userName() + "."
                    + (options.out() != null ? " The refresh token is in " + options.out() + "." : ""));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("Authorization failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static Options parse(String[] args, String secretFromEnvironment) {
        String clientId = null;
        String redirect = null;
        String out = null;
        String scope = null;
        String asanaUrl = "https://app.asana.com";
        long timeoutSeconds = 300;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--client-id" -> clientId = value;
                case "--redirect-uri" -> redirect = value;
                case "--out" -> out = value;
                case "--scope" -> scope = value;
                case "--asana-url" -> asanaUrl = value;
                case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (clientId == null || redirect == null) {
            throw new IllegalArgumentException("--client-id and --redirect-uri are required");
        }
        URI redirectUri = URI.create(redirect);
        if (!"http".equals(redirectUri.getScheme()) || !isLoopback(redirectUri.getHost()) || redirectUri.getPort() <= 0) {
            throw new IllegalArgumentException("--redirect-uri must be http on a loopback host with an explicit port, "
                    + "e.g. http://127.0.0.1:8787/oauth/callback");
        }
        HttpUrl asana = HttpUrl.parse(asanaUrl);
        if (asana == null || !(asana.isHttps() || isLoopback(asana.host()))) {
            throw new IllegalArgumentException("--asana-url must be an https URL: the client secret goes there");
        }
        String secret = secretFromEnvironment;
        Console console = System.console();
        if ((secret == null || secret.isBlank()) && console != null) {
            char[] typed = console.readPassword("Client secret of the Asana app: ");
            secret = typed == null ? null : new String(typed);
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no client secret: set ASANA_CLIENT_SECRET or run on a terminal");
        }
        return new Options(clientId, secret, redirectUri, out == null ? null : Path.of(out), scope, asana,
                Duration.ofSeconds(timeoutSeconds));
    }

    /** Runs the flow and delivers the refresh token; {@code showUrl} presents the authorize URL to the user. */
    static Grant run(Options options, Consumer<String> showUrl, PrintStream stdout) throws IOException {
        Grant grant = authorize(options, showUrl);
        deliver(grant.refreshToken(), options.out(), stdout);
        return grant;
    }

    private static Grant authorize(Options options, Consumer<String> showUrl) throws IOException {
        String state = randomToken();
        String verifier = randomToken();
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(DigestUtils.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        HttpUrl.Builder authorize = options.asanaUrl().newBuilder().encodedPath("/-/oauth_authorize")
                .addQueryParameter("client_id", options.clientId())
                .addQueryParameter("redirect_uri", options.redirectUri().toString())
                .addQueryParameter("response_type", "code")
                .addQueryParameter("state", state)
                .addQueryParameter("code_challenge", challenge)
                .addQueryParameter("code_challenge_method", "S256");
        if (options.scope() != null) {
            authorize.addQueryParameter("scope", options.scope());
        }
        LoopbackRedirect.Callback callback;
        try (LoopbackRedirect redirect = new LoopbackRedirect(options.redirectUri())) {
            showUrl.accept(authorize.build().toString());
            callback = redirect.await(state, Instant.now().plus(options.timeout()));
        }
        if (callback.error() != null) {
            throw new IOException("Asana answered " + callback.error() + " instead of a code");
        }
        return exchange(options, callback.code(), verifier);
    }

    private static Grant exchange(Options options, String code, String verifier) throws IOException {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).followRedirects(false).build();
        Request request = new Request.Builder()
                .url(options.asanaUrl().newBuilder().encodedPath("/-/oauth_token").build())
                .post(new FormBody.Builder()
                        .add("grant_type", "authorization_code")
                        .add("client_id", options.clientId())
                        .add("client_secret", options.clientSecret())
                        .add("redirect_uri", options.redirectUri().toString())
                        .add("code", code)
                        .add("code_verifier", verifier)
                        .build())
                .build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            JsonNode json = response.isSuccessful() ? Json.MAPPER.readTree(body) : null;
            if (json == null || json.path("refresh_token").asText().isEmpty()) {
                throw new IOException("the code exchange answered HTTP " + response.code() + " without a refresh token");
            }
            return new Grant(json.get("refresh_token").asText(), json.path("data").path("name").asText("?"));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** Writes the token to {@code out} with owner-only permissions from its first byte on, or prints it. */
    static void deliver(String refreshToken, Path out, PrintStream stdout) throws IOException {
        if (out == null) {
            stdout.println(refreshToken);
            return;
        }
        Path dir = out.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, ".asana-refresh-token", ".tmp",
                PosixFilePermissions.asFileAttribute(Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE)));
        try {
            Files.writeString(temp, refreshToken);
            Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]") || h.equals("::1");
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
