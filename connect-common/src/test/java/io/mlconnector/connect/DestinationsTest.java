package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private final Destinations production = new Destinations(null, null);

    @Test
    void theAsanaTokenGoesOnlyOverHttpsToAsana() {
        assertEquals(Optional.empty(), production.asanaProblem("https://app.asana.com/api/1.0"));
        assertEquals(Optional.empty(), production.asanaProblem("https://APP.asana.com:443/api/1.0"));
        assertTrue(production.asanaProblem("http://app.asana.com/api/1.0").orElseThrow().contains("https"));
        assertTrue(production.asanaProblem("https://asana.example.net/api/1.0").orElseThrow()
                .contains("asana.example.net"));
        assertTrue(production.asanaProblem("https://app.asana.com.evil.net/api/1.0").isPresent());
        assertTrue(production.asanaProblem("https://evil.net\\@app.asana.com/").isPresent());
        assertTrue(production.asanaProblem("app.asana.com/api/1.0").isPresent());
        assertTrue(production.asanaProblem("http://127.0.0.1:8080/api/1.0").isPresent());
    }

    @Test
    void theWorkerMayNameOtherAsanaHostsButStillOnlyOverHttps() {
        Destinations worker = new Destinations(null, "asana.proxy.corp");
        assertEquals(Optional.empty(), worker.asanaProblem("https://asana.proxy.corp/api/1.0"));
        assertTrue(worker.asanaProblem("https://app.asana.com/api/1.0").isPresent(), "the list replaces the default");
        assertTrue(worker.asanaProblem("http://asana.proxy.corp/api/1.0").isPresent());
    }

    @Test
    void ionCredentialsGoOnlyOverHttps() {
        assertEquals(Optional.empty(), production.ionProblem("https://mingle-ionapi.inforcloudsuite.com/ACME_TST"));
        assertTrue(production.ionProblem("http://mingle-ionapi.inforcloudsuite.com/ACME_TST").isPresent());
    }

    @Test
    void unsafeTestHostsAllowPlainHttpOnlyThere() {
        Destinations lab = new Destinations("127.0.0.1, sim.test:8443", null);
        assertEquals(Optional.empty(), lab.asanaProblem("http://127.0.0.1:43211/api/1.0"));
        assertEquals(Optional.empty(), lab.ionProblem("http://127.0.0.1:43212/TENANT"));
        assertEquals(Optional.empty(), lab.asanaProblem("https://sim.test:8443/api/1.0"));
        assertTrue(lab.asanaProblem("https://sim.test:9443/api/1.0").isPresent(), "a port entry pins the port");
        assertTrue(lab.asanaProblem("http://localhost:43211/api/1.0").isPresent(), "hosts are compared by name");
    }

    @Test
    void validatorsNameTheSettingAndNeverTheSecret() {
        ConfigException url = assertThrows(ConfigException.class,
                () -> Destinations.asanaBaseUrl().ensureValid("asana.base.url", "https://evil.example/api/1.0"));
        assertTrue(url.getMessage().startsWith("asana.base.url "), url.getMessage());

        String ionapi = "{\"cs\":\"TOP-SECRET\"}";
        ConfigException ion = assertThrows(ConfigException.class, () -> Destinations
                .ionCredentials(content -> List.of("http://ion.example/" + content.length()))
                .ensureValid("ion.credentials", new Password(ionapi)));
        assertTrue(ion.getMessage().contains("ion.credentials"), ion.getMessage());
        assertTrue(!ion.getMessage().contains("TOP-SECRET"), ion.getMessage());
    }
}
