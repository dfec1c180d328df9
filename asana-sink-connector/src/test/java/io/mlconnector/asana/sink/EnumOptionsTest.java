package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enum options by name for the mapped fields (a supplier, a currency), against the Asana simulator: found without a
 * call once known, added on demand at most once however many sink tasks need them, and refused as a mapping error
 * (the record to the dead letter queue) when creating is off or the field holds Asana's 500 options.
 */
class EnumOptionsTest {

    private static final String CREATE = "asana.createEnumOptionForCustomField";

    private SeededAsana asana;
    private AsanaSimulator sim;
    private AsanaClient client;
    private CustomField currency;

    @BeforeEach
    void start() throws Exception {
        asana = new SeededAsana();
        sim = asana.sim;
        client = asana.client();
        currency = client.customFields(asana.workspace).require("Currency");
    }

    @AfterEach
    void stop() {
        client.close();
        asana.close();
    }

    @Test
    void aKnownOptionIsFoundByNameWithoutCallingAsana() {
        EnumOptions options = new EnumOptions(client);
        long calls = sim.log().calls();

        EnumOption usd = options.option(currency, "USD", true);

        assertEquals(currency.option("USD").orElseThrow(), usd);
        assertEquals(calls, sim.log().calls());
        assertEquals(0, options.created());
    }

    @Test
    void anUnknownOptionIsAMappingErrorWhenCreatingIsOff() {
        EnumOptions options = new EnumOptions(client);
        long calls = sim.log().calls();

        MappingException e = assertThrows(MappingException.class, () -> options.option(currency, "CHF", false));

        assertTrue(e.getMessage().contains("'Currency'") && e.getMessage().contains("'CHF'")
                && e.getMessage().contains("enum.auto.create"), e.getMessage());
        assertEquals(calls, sim.log().calls());
        assertEquals(4, client.getCustomField(currency.gid()).enumOptions().size());
    }

    @Test
    void aDisabledOptionIsNeverUsed() {
        List<EnumOption> withEurDisabled = currency.enumOptions().stream()
                .map(o -> o.name().equals("EUR") ? new EnumOption(o.gid(), o.name(), false, o.color()) : o).toList();
        CustomField read = new CustomField(currency.gid(), currency.name(), currency.type(), currency.precision(),
                currency.format(), currency.currencyCode(), withEurDisabled);

        assertThrows(MappingException.class, () -> new EnumOptions(client).option(read, "EUR", false));
    }

    @Test
    void aNewOptionIsAddedToAsanaOnceAndThenKnown() {
        EnumOptions options = new EnumOptions(client);

        EnumOption chf = options.option(currency, "CHF", true);

        assertEquals("CHF", chf.name());
        assertEquals(chf.gid(), client.getCustomField(currency.gid()).option("CHF").orElseThrow().gid());
        assertEquals(1, sim.log().calls(CREATE));
        assertEquals(1, options.created());
        long calls = sim.log().calls();
        assertEquals(chf, options.option(currency, "CHF", true));
        assertEquals(chf, options.option(currency, "CHF", false), "known now, whatever the setting");
        assertEquals(calls, sim.log().calls());
    }

    @Test
    void anOptionAnotherSinkTaskAddedIsUsedNotAddedAgain() {
        EnumOptions mine = new EnumOptions(client);
        EnumOptions theirs = new EnumOptions(client);
        EnumOption added = theirs.option(currency, "CHF", true);

        // this task still holds the field as read before the option was added
        assertEquals(added.gid(), mine.option(currency, "CHF", true).gid());

        assertEquals(1, sim.log().calls(CREATE));
        assertEquals(0, mine.created());
    }

    @Test
    void whenAnotherTaskAddsTheSameOptionFirstItsOptionIsUsed() throws Exception {
        EnumOptions mine = new EnumOptions(client);
        EnumOptions theirs = new EnumOptions(client);
        // this task's create is held in Asana until the other task's create of the same name went through
        sim.server().faults().add(new FaultRule(CREATE, FaultRule.Kind.LATENCY, List.of(), null, 500, 1, 100));
        CompletableFuture<EnumOption> mineAdding = CompletableFuture.supplyAsync(() -> mine.option(currency, "CHF", true));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sim.server().faults().rules().isEmpty()) { // the rule is spent once the create arrived
            assertTrue(System.nanoTime() < deadline, "this task's create never reached Asana");
            Thread.sleep(1);
        }
        EnumOption first = theirs.option(currency, "CHF", true);

        EnumOption used = mineAdding.get();

        assertEquals(first.gid(), used.gid());
        assertEquals(1, sim.log().calls(CREATE, 400), "Asana refused the second option of that name");
        assertEquals(1, client.getCustomField(currency.gid()).enumOptions().stream()
                .filter(o -> o.name().equals("CHF")).count());
    }

    @Test
    void anOptionAsanaRefusesIsAMappingError() {
        sim.server().faults().add(FaultRule.status(CREATE, 400, 1));

        MappingException e = assertThrows(MappingException.class,
                () -> new EnumOptions(client).option(currency, "CHF", true));

        assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("'CHF'"), e.getMessage());
    }

    @Test
    void aFieldWithAsanasFiveHundredOptionsTakesNoMore() {
        List<String> names = new ArrayList<>(IntStream.rangeClosed(1, CustomField.MAX_ENUM_OPTIONS - 1)
                .mapToObj(i -> "CC " + i).toList());
        sim.addCustomField(asana.workspace, "Cost center", "enum", null, null, null, names, List.of(asana.project));
        CustomField costCenter = client.refreshCustomFields(asana.workspace).require("Cost center");
        EnumOptions options = new EnumOptions(client);

        assertEquals("CC 500", options.option(costCenter, "CC 500", true).name(), "the 500th fits");
        MappingException full = assertThrows(MappingException.class, () -> options.option(costCenter, "CC 501", true));

        assertTrue(full.getMessage().contains("is full (500 options)"), full.getMessage());
        assertEquals(1, sim.log().calls(CREATE), "Asana is not asked past the cap");
        assertEquals("CC 7", options.option(costCenter, "CC 7", false).name(), "existing options still resolve");
        assertThrows(MappingException.class, () -> options.option(costCenter, "CC 502", true));
        assertEquals(1, sim.log().calls(CREATE));
    }
}
