package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.common.FaultRule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorsAndRetriesTest {
    private static SimFixture fx;
    private static AsanaClient client;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimFixture();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @AfterEach
    void clearFaults() {
        fx.sim.server().faults().clear();
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotRetriedIntoADuplicate() {
        // The simulator creates the task but answers after the client gave up: the outcome is unknown.
        AsanaClient impatient = AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token))
                .baseUrl(fx.sim.apiUrl()).budget(100_000, Duration.ofMinutes(1))
                .httpClient(new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build()).build();
        fx.sim.server().faults().add(new FaultRule("asana.createTask", FaultRule.Kind.LATENCY, List.of(), null, 800, 1, 100));
        int tasksBefore = fx.sim.taskCount();
        long createsBefore = fx.calls("createTask");

        AsanaIOException e = assertThrows(AsanaIOException.class,
                () -> impatient.createTask(TaskRequest.builder("PO 6000").project(fx.project).build()));

        assertTrue(e.outcomeUnknown());
        WebhooksTest.awaitQuietly(() -> fx.calls("createTask") == createsBefore + 1);
        assertEquals(createsBefore + 1, fx.calls("createTask"));
        assertEquals(tasksBefore + 1, fx.sim.taskCount());
    }

    @Test
    void aCreateAnswered500IsNotRetried() {
        fx.sim.server().faults().add(FaultRule.status("asana.createTask", 500, 1));
        long before = fx.calls("createTask");
        assertThrows(ServerErrorException.class,
                () -> client.createTask(TaskRequest.builder("PO 6001").project(fx.project).build()));
        assertEquals(before + 1, fx.calls("createTask"));
    }

    @Test
    void readsAndUpdatesAreRetriedOn5xx() {
        Task task = client.createTask(TaskRequest.builder("PO 6002").project(fx.project).build());
        fx.sim.server().faults().add(new FaultRule("asana.getTask", FaultRule.Kind.STATUS, List.of(503, 502), null, 0, 2, 100));
        fx.sim.server().faults().add(FaultRule.status("asana.updateTask", 500, 1));
        long retries = client.rateLimiter().retries();

        assertEquals(task.gid(), client.getTask(task.gid()).gid());
        assertEquals("x", client.updateTask(task.gid(), TaskUpdate.builder().notes("x").build()).notes());
        assertEquals(retries + 3, client.rateLimiter().retries());
    }

    @Test
    void errorEnvelopesBecomeTypedExceptionsWithAsanasMessage() {
        NotFoundException notFound = assertThrows(NotFoundException.class, () -> client.getTask("1"));
        assertEquals(List.of("task: Not Found"), notFound.messages());
        assertEquals(404, notFound.status());

        fx.sim.server().faults().add(FaultRule.status("asana.getTask", 451, 1));
        assertThrows(LegalBlockException.class, () -> client.getTask("1"));
        fx.sim.server().faults().add(FaultRule.status("asana.getTask", 402, 1));
        assertThrows(PaymentRequiredException.class, () -> client.getTask("1"));

        String secretToken = "pat-not-known-to-asana";
        AsanaClient stranger = fx.client(AsanaCredentials.personalAccessToken(secretToken));
        UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class, () -> stranger.getTask("1"));
        assertEquals(List.of("Not Authorized"), unauthorized.messages());
        assertFalse(unauthorized.getMessage().contains(secretToken));
        assertFalse(stranger.toString().contains(secretToken));
        assertFalse(AsanaCredentials.personalAccessToken(secretToken).toString().contains(secretToken));
    }

    @Test
    void aRejectedOAuthTokenIsRefreshedOnceAndTheCallRepeated() {
        String refresh = fx.sim.addRefreshToken(fx.user);
        AsanaClient oauth = fx.client(AsanaCredentials.oauth("expired-access-token", refresh, fx.sim.oauthClientId(),
                fx.sim.oauthClientSecret(), null, fx.sim.tokenUrl()));
        long unauthorized = fx.sim.log().counter("asana.unauthorized");
        assertThrows(NotFoundException.class, () -> oauth.getTask("3"));
        assertEquals(unauthorized + 1, fx.sim.log().counter("asana.unauthorized"));
        assertEquals(1, fx.sim.log().calls("asana.oauth_token", 200));

        AsanaClient wrongSecret = fx.client(AsanaCredentials.oauth(null, refresh, fx.sim.oauthClientId(), "wrong",
                null, fx.sim.tokenUrl()));
        UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> wrongSecret.getTask("3"));
        assertFalse(refused.getMessage().contains(refresh));
    }

    @Test
    void theSimulatorRejectsInvalidRequestsAsAsanaWould() throws Exception {
        OkHttpClient raw = new OkHttpClient();
        MediaType json = MediaType.get("application/json");
        // Body not wrapped in {"data": ...}.
        Request unwrapped = new Request.Builder().url(fx.sim.apiUrl() + "/tasks")
                .header("Authorization", "Bearer " + fx.token)
                .post(RequestBody.create("{\"name\":\"x\",\"projects\":[\"" + fx.project + "\"]}", json)).build();
        try (Response response = raw.newCall(unwrapped).execute()) {
            assertEquals(400, response.code());
            String body = response.body().string();
            assertTrue(body.startsWith("{\"errors\":[{\"message\":"), body);
            assertTrue(body.contains("name: Unknown property at the top level"), body);
        }
        // A limit above Asana's 100 and an undeclared parameter.
        Request tooBig = new Request.Builder().url(fx.sim.apiUrl() + "/projects/" + fx.project + "/tasks?limit=500&pretty=1")
                .header("Authorization", "Bearer " + fx.token).build();
        try (Response response = raw.newCall(tooBig).execute()) {
            assertEquals(400, response.code());
            String body = response.body().string();
            assertTrue(body.contains("limit: Value 500 is out of range 1..100"), body);
            assertTrue(body.contains("pretty: Unknown parameter"), body);
        }
        // Read-only and misspelled properties, and a due_on that is not a date.
        Request typo = new Request.Builder().url(fx.sim.apiUrl() + "/tasks")
                .header("Authorization", "Bearer " + fx.token)
                .post(RequestBody.create("{\"data\":{\"nmae\":\"x\",\"gid\":\"1\",\"due_on\":\"31.12.2026\",\"workspace\":\""
                        + fx.workspace + "\"}}", json)).build();
        try (Response response = raw.newCall(typo).execute()) {
            String body = response.body().string();
            assertEquals(400, response.code());
            assertTrue(body.contains("data.nmae: Unknown property"), body);
            assertTrue(body.contains("data.gid: Cannot write this read-only property"), body);
            assertTrue(body.contains("data.due_on: Not a valid date"), body);
        }
        assertEquals(3, fx.sim.log().counter("asana.invalid_requests"));

        // Through the client: a custom field value of the wrong type is Asana's 400, typed.
        CustomField amount = client.customFields(fx.workspace).require("Amount");
        CustomField text = new CustomField(amount.gid(), "Amount", CustomFieldType.TEXT, null, null, null, List.of());
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.createTask(
                TaskRequest.builder("bad").project(fx.project)
                        .customFields(CustomFieldValues.builder().text(text, "12.50").build()).build()));
        assertTrue(e.messages().get(0).contains("takes a number"), e.getMessage());
    }

    @Test
    void tokensNeverReachTheLogs() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            fx.sim.server().faults().add(new FaultRule("asana.getTask", FaultRule.Kind.STATUS, List.of(429), 1, 0, 1, 100));
            fx.sim.server().faults().add(FaultRule.status("asana.getTask", 503, 1));
            assertThrows(NotFoundException.class, () -> client.getTask("2"));
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("rate limited"), logs);
        assertTrue(logs.contains("answered 503"), logs);
        assertFalse(logs.contains(fx.token), logs);
    }
}
