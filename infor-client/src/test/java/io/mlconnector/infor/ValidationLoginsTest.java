package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connector's validate logs in to ION only when the worker holds no valid token for the credentials, and then at
 * most {@value IonTokenProvider#VALIDATION_LOGINS_PER_MINUTE} times a minute per service account; the tasks always may.
 */
class ValidationLoginsTest {

    private static final MiRequest CALL = MiRequest.builder("CRS620MI", "GetBasicData").set("SUNO", "S00001").build();
    private static final Pattern TRY_AGAIN = Pattern.compile(
            "(\\d+) ION logins for this client were made in the last minute; try validate again in (\\d+) s");

    /** Validations leave their tokens cached; a later test's simulator must not meet them on a reused port. */
    @AfterEach
    void forgetTokens() {
        SharedIonToken.clearCache();
    }

    private static IonSimulator sim() throws Exception {
        return IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10));
    }

    /** What a connector's validate does with the .ionapi: a token, then a cheap call. */
    private static void validate(IonApiCredentials credentials) {
        try (IonClient ion = IonClient.builder(credentials).forValidation().build()) {
            ion.tokens().accessToken();
            ion.m3().execute(CALL);
        }
    }

    private static long tokenRequests(IonSimulator sim) {
        return sim.log().calls("oauth.token");
    }

    @Test
    void thirtyValidationsInARowLogInOnce() throws Exception {
        try (IonSimulator sim = sim()) {
            IonApiCredentials credentials = IonApiCredentials.parse(sim.ionApiJson());
            for (int i = 0; i < 30; i++) {
                validate(credentials);
            }
            assertEquals(1, tokenRequests(sim), "the first validation's token served the other 29");
            assertEquals(0, sim.log().counter("oauth.revokes"), "a validation leaves the token for the next one");
        }
    }

    @Test
    void withoutACachedTokenValidationsStopLoggingInAtTheLimitButTasksDoNot() throws Exception {
        try (IonSimulator sim = sim()) {
            IonApiCredentials credentials = IonApiCredentials.parse(sim.ionApiJson());
            List<IonLoginLimitException> refusals = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                SharedIonToken.clearCache();
                try {
                    validate(credentials);
                } catch (IonLoginLimitException e) {
                    refusals.add(e);
                }
            }
            assertEquals(IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE, tokenRequests(sim));
            assertEquals(12 - IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE, refusals.size());
            IonLoginLimitException refused = refusals.get(0);
            Matcher message = TRY_AGAIN.matcher(refused.getMessage());
            assertTrue(message.find(), refused.getMessage());
            assertEquals(String.valueOf(IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE), message.group(1));
            long seconds = Long.parseLong(message.group(2));
            assertTrue(seconds >= 1 && seconds <= 60, refused.getMessage());
            assertTrue(refused.retryAfter().toSeconds() <= 60);
            for (String secret : List.of(sim.config().clientSecret(), sim.config().serviceAccountSecretKey(),
                    sim.config().serviceAccountAccessKey())) {
                assertFalse(refused.getMessage().contains(secret), "no secret: " + refused.getMessage());
            }

            // A task whose token is gone logs in regardless.
            SharedIonToken.clearCache();
            try (IonClient task = IonClient.builder(credentials).build()) {
                task.m3().execute(CALL);
            }
            assertEquals(IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE + 1, tokenRequests(sim));
        }
    }

    @Test
    void validationsUseTheTasksTokenAndTheTasksKeepTheirs() throws Exception {
        try (IonSimulator sim = sim()) {
            IonApiCredentials credentials = IonApiCredentials.parse(sim.ionApiJson());
            try (IonClient task = IonClient.builder(credentials).build()) {
                task.m3().execute(CALL);
                for (int i = 0; i < 30; i++) {
                    validate(credentials);
                }
                task.m3().execute(CALL);
                assertEquals(1, tokenRequests(sim));
                assertEquals(0, sim.log().counter("oauth.revokes"), "a validation's close revokes nothing");
                assertEquals(0, sim.log().callsWithStatus(401));
            }
            assertEquals(1, sim.log().counter("oauth.revokes"), "the task's last close revokes");
            validate(credentials);
            assertEquals(2, tokenRequests(sim), "a revoked token is not reused");
        }
    }

    @Test
    void attemptsWithAWrongSecretSpendTheSameAllowance() throws Exception {
        try (IonSimulator sim = sim()) {
            IonApiCredentials right = IonApiCredentials.parse(sim.ionApiJson());
            IonApiCredentials wrong = IonApiCredentials.parse(
                    sim.ionApiJson().replace(sim.config().serviceAccountSecretKey(), "wrong-secret-value"));
            for (int i = 0; i < IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE; i++) {
                assertThrows(IonAuthenticationException.class, () -> validate(wrong));
            }
            IonLoginLimitException e = assertThrows(IonLoginLimitException.class, () -> validate(wrong));
            assertFalse(e.getMessage().contains("wrong-secret-value"), e.getMessage());
            assertThrows(IonLoginLimitException.class, () -> validate(right), "the same service account");
            assertEquals(IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE, tokenRequests(sim));
        }
    }
}
