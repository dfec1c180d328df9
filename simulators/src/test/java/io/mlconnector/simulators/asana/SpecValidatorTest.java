package io.mlconnector.simulators.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private final SpecValidator validator = SpecValidator.load();

    private SpecValidator.Result post(String path, String body) {
        return validator.validate("POST", path, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsATaskCreateWithMembershipsAndTypedCustomFieldValues() {
        SpecValidator.Result result = post("/tasks", """
                {"data":{"name":"PO 1","notes":"n","memberships":[{"project":"1","section":"2"}],
                 "custom_fields":{"11":"text","12":12.5,"13":["14","15"],"16":null},"due_on":"2026-12-31"}}""");
        assertEquals("createTask", result.operationId());
        assertEquals(java.util.List.of(), result.errors());
    }

    @Test
    void rejectsReadOnlyUnknownAndMistypedProperties() {
        SpecValidator.Result result = post("/tasks", """
                {"data":{"gid":"1","nmae":"x","completed":"yes","resource_subtype":"bug",
                 "custom_fields":{"PO number":"x"}},"extra":1}""");
        assertTrue(result.errors().contains("data.gid: Cannot write this read-only property"), result.errors()::toString);
        assertTrue(result.errors().contains("data.nmae: Unknown property"));
        assertTrue(result.errors().contains("data.completed: Not a boolean"));
        assertTrue(result.errors().stream().anyMatch(e -> e.startsWith("data.resource_subtype: Not one of")));
        assertTrue(result.errors().contains("data.custom_fields.PO number: Custom field keys must be gids, not names"));
        assertTrue(result.errors().contains("extra: Unknown property at the top level; wrap the request in data"));
    }

    @Test
    void membershipsStayReadOnlyOnUpdate() {
        SpecValidator.Result result = validator.validate("PUT", "/tasks/1", Map.of(),
                "{\"data\":{\"memberships\":[{\"project\":\"1\"}]}}".getBytes(StandardCharsets.UTF_8));
        assertEquals("updateTask", result.operationId());
        assertTrue(result.errors().contains("data.memberships: Cannot write this read-only property"));
    }

    @Test
    void checksRequiredBodyFieldsAndFormats() {
        SpecValidator.Result missing = post("/webhooks", "{\"data\":{\"target\":\"not a url\"}}");
        assertTrue(missing.errors().contains("data.resource: Missing input"), missing.errors()::toString);
        assertTrue(missing.errors().stream().anyMatch(e -> e.startsWith("data.target: Not a valid uri")));
        assertTrue(post("/webhooks", "").errors().contains("data: Missing input"));
        assertTrue(post("/webhooks", "{not json").errors().contains("Could not parse request data, invalid JSON"));
    }

    @Test
    void checksQueryParameters() {
        SpecValidator.Result events = validator.validate("GET", "/events", Map.of("sync", "x"), new byte[0]);
        assertTrue(events.errors().contains("resource: Missing input"));
        SpecValidator.Result page = validator.validate("GET", "/projects/1/tasks",
                Map.of("limit", "0", "offset", "abc", "opt_fields", "name", "foo", "1"), new byte[0]);
        assertTrue(page.errors().contains("limit: Value 0 is out of range 1..100"), page.errors()::toString);
        assertTrue(page.errors().contains("foo: Unknown parameter"));
        assertEquals(2, page.errors().size());
        SpecValidator.Result search = validator.validate("GET", "/workspaces/1/tasks/search",
                Map.of("custom_fields.123.value", "PO-1", "limit", "100", "sort_ascending", "maybe"), new byte[0]);
        assertEquals(java.util.List.of("sort_ascending: Not a boolean: maybe"), search.errors());
    }

    @Test
    void literalPathsWinOverParametersAndUnknownPathsAreNotOperations() {
        assertEquals("searchTasksForWorkspace",
                validator.validate("GET", "/workspaces/1/tasks/search", Map.of(), new byte[0]).operationId());
        assertEquals("getTask", validator.validate("GET", "/tasks/external:PO-1", Map.of(), new byte[0]).operationId());
        assertFalse(validator.validate("GET", "/invoices", Map.of(), new byte[0]).known());
        assertFalse(validator.validate("PATCH", "/tasks/1", Map.of(), new byte[0]).known());
    }

    private java.util.List<String> answer(String operationId, String optFields, String body) {
        return validator.validateAnswer(operationId, optFields == null ? Map.of() : Map.of("opt_fields", optFields), 200,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerMustCarryEveryTopLevelFieldTheRequestAskedFor() {
        java.util.List<String> problems = answer("getCustomField", "name,precision,format,currency_code,enum_options",
                """
                {"data":{"gid":"1","name":"Supplier"}}""");
        assertEquals(java.util.List.of("data.precision: Requested in opt_fields but missing from the answer",
                "data.format: Requested in opt_fields but missing from the answer",
                "data.currency_code: Requested in opt_fields but missing from the answer",
                "data.enum_options: Requested in opt_fields but missing from the answer"), problems);
        assertEquals(java.util.List.of(), answer("getCustomField", "name,precision,format,currency_code,enum_options",
                """
                {"data":{"gid":"1","name":"Supplier","precision":0,"format":"none","currency_code":null,
                 "enum_options":[]}}"""));
    }

    @Test
    void anAnswerMayNotInventPropertiesOrNullsTheSpecDoesNotAllow() {
        java.util.List<String> problems = answer("getTask", "created_by,completed", """
                {"data":{"gid":"1","created_by":{"gid":"2","resource_type":"user","name":"Ann"},"completed":null,
                 "colour":"red"}}""");
        assertTrue(problems.contains(".data.created_by.name: Unknown property"), problems::toString);
        assertTrue(problems.contains(".data.completed: Value cannot be null"), problems::toString);
        assertTrue(problems.contains(".data.colour: Unknown property"), problems::toString);
    }

    @Test
    void documentedQuirksOfRealAnswersPass() {
        assertEquals(java.util.List.of(), answer("getEvents", "user.name,resource,parent,created_at,action,change", """
                {"data":[{"user":null,"resource":{"gid":"1","resource_type":"task","name":"PO","resource_subtype":
                 "default_task"},"parent":null,"created_at":"2026-12-06T10:00:00.000Z","action":"deleted"}],
                 "sync":"abc","has_more":false}"""));
        assertFalse(answer("getEvents", "resource", """
                {"data":[{"resource":{"gid":"1","resource_type":"task","owner":"x"}}],"sync":"abc"}""").isEmpty());
    }

    @Test
    void aQuirkHoldsOnlyWhereItIsDocumented() {
        // a null parent only for actions other than added and removed; change left out only for actions other than
        // changed
        java.util.List<String> problems = answer("getEvents", "resource,parent,action,change", """
                {"data":[{"resource":{"gid":"1","resource_type":"task"},"parent":null,"action":"added"},
                 {"resource":{"gid":"1","resource_type":"task"},"parent":null,"action":"changed"},
                 {"resource":{"gid":"1","resource_type":"task"},"parent":null,"action":"deleted"}],"sync":"abc"}""");
        assertEquals(java.util.List.of(".data[0].parent: Value cannot be null",
                "data.change: Requested in opt_fields but missing from the answer"), problems);
        // a task without external data answers without the field; any other field asked for must be there
        assertEquals(java.util.List.of("data.name: Requested in opt_fields but missing from the answer"),
                answer("getTask", "name,external", """
                {"data":{"gid":"1"}}"""));
        // an event's resource may carry resource_subtype, its parent not
        assertEquals(java.util.List.of(".data[0].parent.resource_subtype: Unknown property"),
                answer("getEvents", "resource,parent,action", """
                {"data":[{"resource":{"gid":"2","resource_type":"story","resource_subtype":"comment_added"},
                 "parent":{"gid":"1","resource_type":"task","resource_subtype":"default_task"},"action":"added"}],
                 "sync":"abc"}"""));
    }

    @Test
    void optFieldsOutsideWhatTheOperationCanReturnAreRefused() {
        SpecValidator.Result result = validator.validate("GET", "/events",
                Map.of("resource", "1", "opt_fields", "resource,resource.resource_subtype"), new byte[0]);
        assertTrue(result.errors().stream().anyMatch(e -> e.startsWith("opt_fields: Not one of")
                && e.endsWith(": resource.resource_subtype")), result.errors()::toString);
    }
}
