package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mlconnector.simulators.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks requests against Asana's vendored OpenAPI spec ({@code /asana/asana_oas.yaml}): the path
 * and method must be an operation, query parameters must be declared and well-typed, required ones
 * present, and the JSON body must match the request schema. Stricter than the spec in one way:
 * properties the schema does not declare and read-only properties are rejected, so a client typo
 * fails a test instead of being silently ignored.
 *
 * <p>Quirks relaxed (see the spec folder's README and asana.md):
 * <ul>
 *   <li>{@code custom_fields} values are typed string in the spec; any JSON value is accepted here
 *       (the simulator checks each value against its field's type instead).</li>
 *   <li>Task {@code memberships} is read-only in the spec but accepted on create as
 *       {@code [{"project": gid, "section": gid}]}.</li>
 *   <li>Bodies may carry {@code options} beside {@code data} (documented input/output options).</li>
 *   <li>Search accepts {@code custom_fields.<gid>.<op>} and {@code limit} (1-100) query parameters, which the
 *       spec describes in the operation's prose but leaves out of its parameter list.</li>
 *   <li>{@code opt_fields} and {@code opt_pretty} are accepted on every operation.</li>
 * </ul>
 *
 * <p>Over 400 lines as one concern: requests and answers share one schema walk (checkValue, checkObject), which
 * split across classes would no longer read in one place.
 */
public final class SpecValidator {
    private static final Pattern SEARCH_CUSTOM_FIELD = Pattern.compile("custom_fields\\.\\d+\\.[a-z_]+");
    private static volatile SpecValidator shared;
    /** The operations that answer tasks (declared before the quirks, which use it). */
    private static final Set<String> TASK_ANSWERS = Set.of("createTask", "getTask", "updateTask", "getTasks",
            "getTasksForProject", "getTasksForSection", "searchTasksForWorkspace");
    /**
     * Where Asana's answers are known to differ from its spec, as "operation kind path" (operation {@code *}: any):
     * {@code extra} for a property the schema does not declare, {@code null} for a null where the schema has none,
     * {@code absent} for a field asked for in opt_fields that an answer may leave out; each with the condition on the
     * answered object (the element of {@code data} the path lies in) under which it holds. The list with its sources
     * is in this package's documentation ({@code package-info.java}).
     */
    private static final Map<String, Predicate<JsonNode>> ANSWER_QUIRKS = answerQuirks();

    private final JsonNode spec;
    private final List<PathTemplate> paths = new ArrayList<>();
    private final Map<String, JsonNode> operations = new LinkedHashMap<>();

    private SpecValidator(JsonNode spec) {
        this.spec = spec;
        spec.path("paths").properties().forEach(e -> paths.add(new PathTemplate(e.getKey(), e.getValue())));
        // Literal segments win over parameters: /tasks/search before /tasks/{task_gid}.
        paths.sort(Comparator.comparingInt(PathTemplate::parameterCount));
        spec.path("paths").forEach(item -> item.forEach(operation -> {
            if (operation.has("operationId")) {
                operations.put(operation.get("operationId").asText(), operation);
            }
        }));
    }

    /** The spec is 3 MB of YAML; it is parsed once per JVM. */
    public static SpecValidator load() {
        SpecValidator validator = shared;
        if (validator == null) {
            synchronized (SpecValidator.class) {
                if (shared == null) {
                    try (InputStream in = SpecValidator.class.getResourceAsStream("/asana/asana_oas.yaml")) {
                        shared = new SpecValidator(new YAMLMapper().readTree(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the vendored Asana spec", e);
                    }
                }
                validator = shared;
            }
        }
        return validator;
    }

    private static Map<String, Predicate<JsonNode>> answerQuirks() {
        Map<String, Predicate<JsonNode>> quirks = new LinkedHashMap<>();
        Predicate<JsonNode> always = item -> true;
        // asana.md §7.3: an event's resource is {gid, resource_type, resource_subtype?, name?}
        quirks.put("getEvents extra data.resource.resource_subtype", always);
        // the spec's own prose (EventResponse.parent): the parent is null for actions other than added and removed,
        // though AsanaNamedResource is not nullable; asana.md §7.3
        quirks.put("getEvents null data.parent", item -> !Set.of("added", "removed").contains(action(item)));
        // the spec's own prose (EventResponse): user is null for system-generated events; asana.md §7.3
        quirks.put("getEvents null data.user", always);
        // the spec (EventResponse.change): change is present only for the action changed
        quirks.put("getEvents absent data.change", item -> !"changed".equals(action(item)));
        // the spec (CustomFieldResponse.date_value.date_time) says it is null when no time is set, but does not
        // mark it nullable
        quirks.put("* null data.custom_fields.date_value.date_time", always);
        // issue 22, measured on Asana: last_success_at is null before a webhook's first delivery; the failure
        // fields are null in the same way until a delivery fails, next_attempt_after while no retry is due
        // (inferred)
        for (String operation : List.of("createWebhook", "getWebhook", "getWebhooks", "updateWebhook")) {
            for (String field : List.of("last_success_at", "last_failure_at", "last_failure_content",
                    "next_attempt_after", "failure_deletion_timestamp")) {
                quirks.put(operation + " null data." + field, always);
            }
        }
        // the spec (TaskResponse.external): "returned only if external values are set or included by using Opt
        // In": asking is necessary, not enough; a task without external data answers without the field
        // (asana.md §5.6; not yet measured on Asana, whose PATs cannot see the field)
        for (String operation : TASK_ANSWERS) {
            quirks.put(operation + " absent data.external", always);
        }
        return Map.copyOf(quirks);
    }

    private static String action(JsonNode event) {
        return event.path("action").asText(null);
    }

    /** Whether the quirk {@code kind path} of {@code operationId} holds for the answered object {@code item}. */
    private static boolean quirk(String operationId, String kind, String path, JsonNode item) {
        for (String operation : List.of(operationId, "*")) {
            Predicate<JsonNode> condition = ANSWER_QUIRKS.get(operation + " " + kind + " " + path);
            if (condition != null && condition.test(item)) {
                return true;
            }
        }
        return false;
    }

    /** The outcome: the operation (null when the path or method is unknown) and the problems found. */
    public record Result(String operationId, Map<String, String> pathParameters, List<String> errors) {
        public boolean known() {
            return operationId != null;
        }

        public boolean valid() {
            return known() && errors.isEmpty();
        }
    }

    /** {@code apiPath} is the decoded path below the base URL, e.g. {@code /tasks/123}. */
    public Result validate(String method, String apiPath, Map<String, String> query, byte[] body) {
        for (PathTemplate template : paths) {
            Map<String, String> pathParams = template.match(apiPath);
            if (pathParams == null) {
                continue;
            }
            JsonNode operation = template.item.get(method.toLowerCase(java.util.Locale.ROOT));
            if (operation == null) {
                continue;
            }
            String operationId = operation.path("operationId").asText();
            List<String> errors = new ArrayList<>();
            checkParameters(template.item, operation, query, errors);
            checkBody(operationId, operation, body, errors);
            return new Result(operationId, pathParams, errors);
        }
        return new Result(null, Map.of(), List.of("Not a recognized path: " + method + " " + apiPath));
    }

    /**
     * Checks a 2xx answer to {@code operationId}: its body must match the operation's response schema (no property
     * the schema does not declare, nulls only where nullable), and each field asked for in {@code opt_fields} must
     * be there, as Asana returns every requested field. Error answers are Asana's envelope and are not checked here.
     */
    public List<String> validateAnswer(String operationId, Map<String, String> query, int status, byte[] body) {
        JsonNode operation = operations.get(operationId);
        if (operation == null) {
            return List.of(operationId + ": Not an operation of the spec");
        }
        if (status / 100 != 2) {
            return List.of();
        }
        JsonNode answer = resolve(operation.path("responses").path(String.valueOf(status)));
        if (answer.isMissingNode()) {
            return List.of(operationId + ": " + status + " is not a documented answer");
        }
        JsonNode schema = answer.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return List.of();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return List.of(operationId + ": The answer is not JSON");
        }
        Set<String> requested = new LinkedHashSet<>();
        String optFields = query.get("opt_fields");
        if (optFields != null && !optFields.isBlank()) {
            for (String field : optFields.split(",")) {
                requested.add(field.trim());
            }
        }
        List<String> errors = new ArrayList<>();
        checkValue(new Scope(operationId, true, requested, json), "", json, schema, errors);
        JsonNode data = json.path("data");
        for (JsonNode item : data.isArray() ? data : List.of(data)) {
            for (String field : requested) {
                String top = field.split("\\.")[0];
                if (item.isObject() && !item.has(top) && !quirk(operationId, "absent", "data." + top, item)) {
                    errors.add("data." + top + ": Requested in opt_fields but missing from the answer");
                }
            }
        }
        return errors;
    }

    private void checkParameters(JsonNode item, JsonNode operation, Map<String, String> query, List<String> errors) {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode list : List.of(item.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : list) {
                JsonNode resolved = resolve(parameter);
                if ("query".equals(resolved.path("in").asText())) {
                    declared.put(resolved.path("name").asText(), resolved);
                }
            }
        }
        for (Map.Entry<String, String> given : query.entrySet()) {
            String name = given.getKey();
            JsonNode parameter = declared.get(name);
            if (parameter == null) {
                boolean search = operation.path("operationId").asText().equals("searchTasksForWorkspace");
                if (search && name.equals("limit")) {
                    checkQueryValue(name, given.getValue(), resolve(spec.at("/components/parameters/limit/schema")), errors);
                } else if (!name.equals("opt_fields") && !name.equals("opt_pretty")
                        && !(search && SEARCH_CUSTOM_FIELD.matcher(name).matches())) {
                    errors.add(name + ": Unknown parameter");
                }
                continue;
            }
            checkQueryValue(name, given.getValue(), resolve(parameter.path("schema")), errors);
        }
        declared.forEach((name, parameter) -> {
            if (parameter.path("required").asBoolean(false) && !query.containsKey(name)) {
                errors.add(name + ": Missing input");
            }
        });
    }

    private void checkQueryValue(String name, String value, JsonNode schema, List<String> errors) {
        switch (schema.path("type").asText("string")) {
            case "integer" -> {
                try {
                    long number = Long.parseLong(value);
                    if (schema.has("minimum") && number < schema.get("minimum").asLong()
                            || schema.has("maximum") && number > schema.get("maximum").asLong()) {
                        errors.add(name + ": Value " + value + " is out of range " + schema.path("minimum").asText("")
                                + ".." + schema.path("maximum").asText(""));
                    }
                } catch (NumberFormatException e) {
                    errors.add(name + ": Not an integer: " + value);
                }
            }
            case "boolean" -> {
                if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                    errors.add(name + ": Not a boolean: " + value);
                }
            }
            case "string" -> {
                checkEnum(name, value, schema, errors);
                checkFormat(name, value, schema, errors);
            }
            case "array" -> {
                // comma-separated; opt_fields lists every field an operation can return
                for (String element : value.split(",")) {
                    checkEnum(name, element.trim(), schema.path("items"), errors);
                }
            }
            default -> {
                // an untyped parameter takes any value
            }
        }
    }

    private void checkBody(String operationId, JsonNode operation, byte[] body, List<String> errors) {
        JsonNode requestBody = resolve(operation.path("requestBody"));
        JsonNode schema = requestBody.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            if (body.length > 0 && !requestBody.path("content").has("multipart/form-data")) {
                errors.add("This endpoint takes no request body");
            }
            return;
        }
        if (body.length == 0) {
            if (requestBody.path("required").asBoolean(false)) {
                errors.add("data: Missing input");
            }
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            errors.add("Could not parse request data, invalid JSON");
            return;
        }
        if (!json.isObject()) {
            errors.add("Request body must be a JSON object with a data property");
            return;
        }
        JsonNode dataSchema = resolve(schema).path("properties").path("data");
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("data") && !name.equals("options")) {
                errors.add(name + ": Unknown property at the top level; wrap the request in data");
            }
        }
        if (!json.has("data")) {
            errors.add("data: Missing input");
            return;
        }
        checkValue(new Scope(operationId, false, Set.of(), json), "data", json.get("data"), dataSchema, errors);
    }

    private void checkValue(Scope scope, String path, JsonNode value, JsonNode rawSchema, List<String> errors) {
        if (rawSchema.isMissingNode()) {
            return;
        }
        JsonNode schema = flatten(rawSchema);
        if (!scope.answer() && path.endsWith(".custom_fields") && path.startsWith("data.") && path.indexOf('.', 5) < 0) {
            checkCustomFieldMap(path, value, errors);
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && !scope.quirk("null", path)) {
                errors.add(path + ": Value cannot be null");
            }
            return;
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode branches = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            for (JsonNode branch : branches) {
                List<String> branchErrors = new ArrayList<>();
                checkValue(scope, path, value, branch, branchErrors);
                if (branchErrors.isEmpty()) {
                    return;
                }
            }
            errors.add(path + ": Does not match any allowed form");
            return;
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
        switch (type) {
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + ": Not a string");
                } else {
                    checkEnum(path, value.asText(), schema, errors);
                    checkFormat(path, value.asText(), schema, errors);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(path + ": Not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(path + ": Not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": Not a boolean");
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": Not an array");
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        checkValue(scope, path + "[" + i + "]", value.get(i), schema.path("items"), errors);
                    }
                }
            }
            case "object" -> checkObject(scope, path, value, schema, errors);
            default -> {
                // No type in the schema: any JSON value.
            }
        }
    }

    private void checkObject(Scope scope, String path, JsonNode value, JsonNode schema, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": Not an object");
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String name = field.getKey();
            String childPath = path + "." + name;
            if (!scope.answer() && scope.operationId().equals("createTask") && childPath.equals("data.memberships")) {
                checkMemberships(childPath, field.getValue(), errors);
                continue;
            }
            JsonNode property = properties.path(name);
            if (property.isMissingNode()) {
                if (additional.isObject()) {
                    checkValue(scope, childPath, field.getValue(), additional, errors);
                } else if (scope.asked(childPath) || scope.quirk("extra", childPath)) {
                    continue;
                } else if (properties.size() > 0 && !additional.asBoolean(false)) {
                    errors.add(childPath + ": Unknown property");
                }
                continue;
            }
            JsonNode resolved = flatten(property);
            if (!scope.answer() && resolved.path("readOnly").asBoolean(false)) {
                errors.add(childPath + ": Cannot write this read-only property");
                continue;
            }
            checkValue(scope, childPath, field.getValue(), property, errors);
        }
        // an answer carries only the fields asked for, so required is a request rule
        for (JsonNode required : scope.answer() ? Json.MAPPER.createArrayNode() : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + "." + required.asText() + ": Missing input");
            }
        }
    }

    private static void checkMemberships(String path, JsonNode value, List<String> errors) {
        if (!value.isArray()) {
            errors.add(path + ": Not an array");
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode membership = value.get(i);
            if (!membership.isObject() || !membership.path("project").isTextual()) {
                errors.add(path + "[" + i + "].project: Missing input");
                continue;
            }
            for (Iterator<String> names = membership.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("project") && !name.equals("section")) {
                    errors.add(path + "[" + i + "]." + name + ": Unknown property");
                }
            }
            if (membership.has("section") && !membership.get("section").isTextual()) {
                errors.add(path + "[" + i + "].section: Not a string");
            }
        }
    }

    private static void checkCustomFieldMap(String path, JsonNode value, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": Not an object");
            return;
        }
        value.properties().forEach(e -> {
            if (!e.getKey().matches("\\d+")) {
                errors.add(path + "." + e.getKey() + ": Custom field keys must be gids, not names");
            }
            if (e.getValue().isBoolean()) {
                errors.add(path + "." + e.getKey() + ": Not a valid custom field value");
            }
        });
    }

    private static void checkEnum(String path, String value, JsonNode schema, List<String> errors) {
        JsonNode allowed = schema.path("enum");
        if (allowed.isArray() && allowed.size() > 0) {
            for (JsonNode option : allowed) {
                if (option.asText().equals(value)) {
                    return;
                }
            }
            errors.add(path + ": Not one of " + allowed + ": " + value);
        }
    }

    private static void checkFormat(String path, String value, JsonNode schema, List<String> errors) {
        String format = schema.path("format").asText("");
        try {
            switch (format) {
                case "date" -> LocalDate.parse(value);
                case "date-time" -> OffsetDateTime.parse(value);
                case "uri" -> {
                    URI uri = new URI(value);
                    if (!uri.isAbsolute()) {
                        errors.add(path + ": Not an absolute URL: " + value);
                    }
                }
                default -> {
                    // Other formats are informational.
                }
            }
        } catch (DateTimeParseException | URISyntaxException e) {
            errors.add(path + ": Not a valid " + format + ": " + value);
        }
    }

    /** Resolves $ref and merges allOf into one object schema (properties, required, flags). */
    private JsonNode flatten(JsonNode schema) {
        JsonNode resolved = resolve(schema);
        if (!resolved.has("allOf")) {
            return resolved;
        }
        ObjectNode merged = Json.MAPPER.createObjectNode();
        ObjectNode properties = merged.putObject("properties");
        Set<String> required = new LinkedHashSet<>();
        mergeInto(resolved, merged, properties, required);
        if (!required.isEmpty()) {
            required.forEach(merged.putArray("required")::add);
        }
        return merged;
    }

    private void mergeInto(JsonNode schema, ObjectNode merged, ObjectNode properties, Set<String> required) {
        JsonNode resolved = resolve(schema);
        resolved.properties().forEach(e -> {
            switch (e.getKey()) {
                case "allOf" -> e.getValue().forEach(part -> mergeInto(part, merged, properties, required));
                case "properties" -> properties.setAll((ObjectNode) e.getValue());
                case "required" -> e.getValue().forEach(r -> required.add(r.asText()));
                default -> merged.set(e.getKey(), e.getValue());
            }
        });
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            JsonNode target = spec;
            for (String part : current.get("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            current = target;
        }
        return current;
    }

    /**
     * What is being checked: a request to the operation, or the simulator's answer to it with the fields the
     * request asked for ({@code requested}), which may go beyond the compact schema an operation declares; {@code
     * root} is the whole body, where a quirk's condition finds the object a path lies in.
     */
    private record Scope(String operationId, boolean answer, Set<String> requested, JsonNode root) {
        private static final Pattern ITEM = Pattern.compile("^\\.?data\\[(\\d+)]");

        boolean asked(String path) {
            String field = plain(path).replaceFirst("^data\\.", "");
            return answer && (requested.contains(field) || requested.stream().anyMatch(r -> r.startsWith(field + ".")));
        }

        boolean quirk(String kind, String path) {
            return answer && SpecValidator.quirk(operationId, kind, plain(path), item(path));
        }

        /** The element of {@code data} that {@code path} lies in: {@code .data[3].parent} is in {@code data[3]}. */
        private JsonNode item(String path) {
            Matcher m = ITEM.matcher(path);
            return m.find() ? root.path("data").path(Integer.parseInt(m.group(1))) : root.path("data");
        }

        /** {@code .data[3].resource} as {@code data.resource}. */
        private static String plain(String path) {
            return path.replaceAll("\\[\\d+]", "").replaceFirst("^\\.", "");
        }
    }

    private static final class PathTemplate {
        private final JsonNode item;
        private final Pattern pattern;
        private final List<String> names = new ArrayList<>();

        PathTemplate(String template, JsonNode item) {
            this.item = item;
            StringBuilder regex = new StringBuilder();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(template.substring(last)));
            this.pattern = Pattern.compile(regex.toString());
        }

        int parameterCount() {
            return names.size();
        }

        Map<String, String> match(String path) {
            Matcher m = pattern.matcher(path);
            if (!m.matches()) {
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), m.group(i + 1));
            }
            return values;
        }
    }
}
