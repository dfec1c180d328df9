package io.mlconnector.simulators.ion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: a separate JVM writes a working .ionapi and prints one JSON line. */
class IonSimulatorMainTest {

    @Test
    void startsWritesItsIonapiAndPrintsOneJsonLine(@TempDir Path dir) throws Exception {
        Path ionapi = dir.resolve("sim.ionapi");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IonSimulatorMain.class.getName(),
                "--port", "0", "--purchase-orders", "40", "--invoices", "10", "--token-lifetime", "30", "--write-ionapi", ionapi.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode line = Json.MAPPER.readTree(out.readLine());
            assertTrue(line.get("baseUrl").asText().startsWith("http://127.0.0.1:"));
            assertEquals("ACME_TST", line.get("tenant").asText());
            JsonNode file = Json.MAPPER.readTree(Files.readString(ionapi));
            assertEquals(line.get("baseUrl").asText(), file.get("iu").asText());
            assertEquals("token.oauth2", file.get("ot").asText());
            assertTrue(file.has("saak") && file.has("sask") && file.has("ci") && file.has("cs"));
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
