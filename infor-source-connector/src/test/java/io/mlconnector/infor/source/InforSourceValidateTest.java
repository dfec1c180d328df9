package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Repeated validates spend the worker's cached ION token, not the service account's logins. */
class InforSourceValidateTest {

    private static Map<String, String> config(String ionapi) {
        Map<String, String> c = new HashMap<>();
        c.put("ion.credentials", ionapi);
        c.put("infor.backend", "M3");
        c.put("infor.entities", "purchase-orders");
        c.put("m3.divisions", "100/AAA");
        c.put("infor.timezone", "Europe/Stockholm");
        return c;
    }

    private static List<String> credentialErrors(Map<String, String> config) {
        return new InforSourceConnector().validate(config).configValues().stream()
                .filter(v -> v.name().equals("ion.credentials")).findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void thirtyValidatesLogInOnce() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            for (int i = 0; i < 30; i++) {
                assertEquals(List.of(), credentialErrors(config(sim.ionApiJson())));
            }
            assertEquals(1, sim.log().calls("oauth.token"));
        }
    }

    @Test
    void validatesWithAWrongSecretStopAtTheLoginAllowanceAndSayWhenToTryAgain() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            String wrong = sim.ionApiJson().replace(sim.config().serviceAccountSecretKey(), "wrong-secret-value");
            for (int i = 0; i < 5; i++) {
                List<String> errors = credentialErrors(config(wrong));
                assertTrue(errors.size() == 1 && errors.get(0).contains("invalid_grant"), errors.toString());
            }
            List<String> errors = credentialErrors(config(wrong));
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).matches("5 ION logins for this client were made in the last minute; try validate again in"
                    + " \\d+ s.*"), errors.get(0));
            assertEquals(5, sim.log().calls("oauth.token"), "the sixth validate did not log in");
        }
    }

    private static List<String> errors(Map<String, String> config, String setting) {
        return new InforSourceConnector().validate(config).configValues().stream()
                .filter(v -> v.name().equals(setting)).findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void aRequiredColumnTheTenantLacksFailsOnTheEntitiesNamingTableAndColumn() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            Map<String, String> c = config(sim.ionApiJson());
            c.put("infor.entities", "purchase-orders,suppliers");
            assertEquals(List.of(), errors(c, "infor.entities"));
            sim.dropM3Column("CIDMAS", "SUNM");
            sim.dropM3Column("MPHEAD", "BUYE"); // optional: dropped with a WARN, no error
            List<String> errors = errors(c, "infor.entities");
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("this M3 tenant lacks the column(s) CIDMAS.IDSUNM (EXPORTMI/LstFields)"),
                    errors.get(0));
        }
    }

    @Test
    void aServiceAccountWhoseDivisionIsNotBlankFailsOnTheDivisions() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            Map<String, String> c = config(sim.ionApiJson());
            c.put("m3.divisions", "100/AAA,100/BBB");
            assertEquals(List.of(), errors(c, "m3.divisions"));
            sim.setM3SessionDivision("AAA");
            List<String> errors = errors(c, "m3.divisions");
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("M3 company 100 answered a filter on division BBB with a row of division AAA"),
                    errors.get(0));
        }
    }

    @Test
    void anUnknownSyteLineSiteIsNamedWithTheTenantsConfigurations() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            Map<String, String> c = config(sim.ionApiJson());
            c.remove("m3.divisions");
            c.put("infor.backend", "SYTELINE");
            String dals = sim.tenant() + "_DALS";
            String ohio = sim.tenant() + "_OHIO";
            c.put("syteline.sites", dals + "," + sim.tenant() + "_DALLAS");
            List<String> errors = new InforSourceConnector().validate(c).configValues().stream()
                    .filter(v -> v.name().equals("syteline.sites")).findFirst().map(ConfigValue::errorMessages).orElseThrow();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("SyteLine site " + sim.tenant() + "_DALLAS is refused: "), errors.get(0));
            assertTrue(errors.get(0).endsWith("; " + sim.tenant() + "_DALLAS is not one of the tenant's Mongoose configurations: "
                    + dals + ", " + ohio), errors.get(0));
            assertEquals(1, sim.log().calls("ido.configurations"), "listed once, for the failing site only");

            c.put("syteline.sites", dals + "," + ohio);
            assertTrue(new InforSourceConnector().validate(c).configValues().stream().allMatch(v -> v.errorMessages().isEmpty()));
            assertEquals(1, sim.log().calls("ido.configurations"), "valid sites need no listing");
        }
    }

    @Test
    void problemsOfTwoSettingsTogetherLandOnTheSettingToChange() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            twoSettingProblems(sim.ionApiJson());
            assertEquals(0, sim.log().calls("oauth.token"), "refused before any call");
        }
    }

    private static void twoSettingProblems(String ionapi) {
        Map<String, String> sl = config(ionapi);
        sl.put("infor.backend", "SYTELINE");
        sl.put("syteline.sites", "DALS");
        sl.put("infor.entities", "purchase-orders,gl-accounts");
        assertEquals(List.of("gl-accounts is read from M3 only: the SyteLine chart-of-accounts IDO is not verified yet"),
                errors(sl, "infor.entities"));
        assertEquals(List.of(), errors(sl, "syteline.sites"));

        Map<String, String> m3 = config(ionapi);
        m3.put("m3.divisions", "100/AAA,100");
        assertEquals(List.of("write company/division, e.g. 100/AAA, not 100"), errors(m3, "m3.divisions"));
        assertEquals(List.of(), errors(m3, "infor.entities"));
    }
}
