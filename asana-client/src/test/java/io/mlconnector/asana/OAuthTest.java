package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.asana.AsanaSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth that lasts: refresh before short tokens expire, and the command that obtains the first refresh token. */
class OAuthTest {

    private final SimFixture fx;

    OAuthTest() throws IOException {
        fx = new SimFixture(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1))
                .withOAuthTokenLifetime(Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void shortLivedAccessTokensAreRefreshedBeforeTheyExpire() throws Exception {
        AsanaClient oauth = fx.client(AsanaCredentials.oauth(null, fx.sim.addRefreshToken(fx.user),
                fx.sim.oauthClientId(), fx.sim.oauthClientSecret(), null, fx.sim.tokenUrl()));
        Instant deadline = Instant.now().plusSeconds(30);
        int calls = 0;
        while (fx.sim.log().calls("asana.oauth_token", 200) < 4 && Instant.now().isBefore(deadline)) {
            oauth.listWorkspaceCustomFields(fx.workspace);
            calls++;
        }
        assertTrue(fx.sim.log().calls("asana.oauth_token", 200) >= 4, "4 tokens within 30 s of 5-s tokens");
        assertEquals(0, fx.sim.log().counter("asana.unauthorized"), "no call left with an expired token");
        assertTrue(calls > 4 * 10, "tokens are reused between refreshes, not refreshed per call: " + calls);
    }

    @Test
    void aFailingTokenEndpointIsRetriedAsAnUnsentCall() throws Exception {
        fx.sim.server().faults().add(io.mlconnector.simulators.common.FaultRule.status("asana.oauth_token", 503, 1));
        AsanaClient oauth = fx.client(AsanaCredentials.oauth(null, fx.sim.addRefreshToken(fx.user),
                fx.sim.oauthClientId(), fx.sim.oauthClientSecret(), null, fx.sim.tokenUrl()));
        assertFalse(oauth.listWorkspaceCustomFields(fx.workspace).isEmpty());
        assertEquals(1, fx.sim.log().calls("asana.oauth_token", 200));
    }

    @Test
    void theCommandObtainsARefreshTokenThroughTheBrowserAndIgnoresHostileCallbacks(@TempDir Path dir) throws Exception {
        fx.sim.consentAs(fx.user);
        URI redirect = URI.create("http://127.0.0.1:" + freePort() + "/oauth/callback");
        Path out = dir.resolve("asana-refresh-token");
        AsanaAuthorizeCommand.Options options = new AsanaAuthorizeCommand.Options(fx.sim.oauthClientId(),
                fx.sim.oauthClientSecret(), redirect, out, null, HttpUrl.get(fx.sim.baseUrl()), Duration.ofSeconds(60));
        List<Integer> hostileAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> browser = new java.util.concurrent.CompletableFuture<>();

        AsanaAuthorizeCommand.Grant grant = AsanaAuthorizeCommand.run(options, url -> new Thread(() -> {
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), redirect.getPort())) {
                // A client that connects and says nothing, then forged or malformed answers, before the browser.
                hostileAnswers.add(get(redirect + "?code=forged&state=guessed"));
                hostileAnswers.add(get(redirect + "?error=access_denied"));
                hostileAnswers.add(get("http://127.0.0.1:" + redirect.getPort() + "/elsewhere?code=x&state=y"));
                hostileAnswers.add(rawRequest(redirect.getPort(), "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n"));
                hostileAnswers.add(get(url));
                browser.complete(null);
            } catch (IOException | RuntimeException e) {
                browser.completeExceptionally(e);
            }
        }).start(), System.out);
        browser.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(List.of(400, 400, 404, -1, 200), hostileAnswers, "an oversized request is dropped unanswered");
        assertEquals(grant.refreshToken(), Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        AsanaClient oauth = fx.client(AsanaCredentials.oauth(null, Files.readString(out), fx.sim.oauthClientId(),
                fx.sim.oauthClientSecret(), null, fx.sim.tokenUrl()));
        assertFalse(oauth.listWorkspaceCustomFields(fx.workspace).isEmpty(), "the refresh token works");
    }

    @Test
    void aCodeIsRedeemedOnlyWithItsVerifierAndOnlyOnce() throws Exception {
        fx.sim.consentAs(fx.user);
        OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
        String redirect = "http://127.0.0.1:1/cb";
        HttpUrl authorize = HttpUrl.get(fx.sim.authorizeUrl()).newBuilder()
                .addQueryParameter("client_id", fx.sim.oauthClientId()).addQueryParameter("redirect_uri", redirect)
                .addQueryParameter("response_type", "code").addQueryParameter("state", "s")
                .addQueryParameter("code_challenge", "not-the-verifiers-hash")
                .addQueryParameter("code_challenge_method", "S256").build();
        String code;
        try (Response response = http.newCall(new Request.Builder().url(authorize).build()).execute()) {
            assertEquals(302, response.code());
            code = HttpUrl.get(response.header("Location")).queryParameter("code");
        }
        okhttp3.FormBody exchange = new okhttp3.FormBody.Builder().add("grant_type", "authorization_code")
                .add("client_id", fx.sim.oauthClientId()).add("client_secret", fx.sim.oauthClientSecret())
                .add("redirect_uri", redirect).add("code", code).add("code_verifier", "some verifier").build();
        try (Response response = http.newCall(new Request.Builder().url(fx.sim.tokenUrl()).post(exchange).build())
                .execute()) {
            assertEquals(400, response.code(), "a verifier that does not hash to the challenge is refused");
        }
    }

    @Test
    void theTokenIsPrintedOnceWithoutAFileAndTheSecretNeverComesFromTheCommandLine() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AsanaAuthorizeCommand.deliver("refresh-1", null, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals("refresh-1" + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> AsanaAuthorizeCommand.parse(
                new String[] {"--client-id", "c", "--redirect-uri", "http://127.0.0.1:8787/cb", "--client-secret", "s"},
                "secret"));
        assertThrows(IllegalArgumentException.class, () -> AsanaAuthorizeCommand.parse(
                new String[] {"--client-id", "c", "--redirect-uri", "http://evil.example:8787/cb"}, "secret"));
        assertThrows(IllegalArgumentException.class, () -> AsanaAuthorizeCommand.parse(
                new String[] {"--client-id", "c", "--redirect-uri", "http://127.0.0.1:8787/cb", "--asana-url",
                    "http://app.asana.com"}, "secret"));
    }

    private static int get(String url) throws IOException {
        OkHttpClient browser = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
        try (Response response = browser.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code();
        }
    }

    private static int rawRequest(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return status.length() < 12 ? -1 : Integer.parseInt(status.substring(9, 12));
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
