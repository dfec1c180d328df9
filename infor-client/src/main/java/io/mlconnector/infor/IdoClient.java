package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * SyteLine / CloudSuite Industrial IDOs through ION (Mongoose REST v2, {@code /CSI/IDORequestService/ido}), for
 * one Mongoose configuration sent as {@code X-Infor-MongooseConfig}. {@code Success: false} becomes
 * {@link IdoException} whatever the HTTP status.
 */
public final class IdoClient {

    private static final MediaType JSON = MediaType.get("application/json");

    private final String apiBase;
    private final IonCall call;
    private final String configuration;

    IdoClient(String apiBase, IonCall call, String configuration) {
        if (configuration == null || configuration.isBlank()) {
            throw new IllegalArgumentException("a Mongoose configuration name is required through ION");
        }
        this.apiBase = apiBase;
        this.call = call;
        this.configuration = configuration;
    }

    public String configuration() {
        return configuration;
    }

    public IdoLoadResponse load(IdoLoadRequest request) {
        HttpUrl.Builder url = base().addPathSegment("load").addPathSegment(request.ido());
        if (!request.properties().isEmpty()) {
            List<String> props = new ArrayList<>(request.properties());
            if (!request.readOnly() && !props.contains("_ItemId")) {
                props.add("_ItemId");
            }
            url.addQueryParameter("properties", String.join(",", props));
        }
        if (request.filter() != null && !request.filter().isBlank()) {
            url.addQueryParameter("filter", request.filter());
        }
        if (request.orderBy() != null && !request.orderBy().isBlank()) {
            url.addQueryParameter("orderby", request.orderBy());
        }
        url.addQueryParameter("recordcap", String.valueOf(request.recordCap()));
        url.addQueryParameter("loadtype", request.loadType().name());
        if (request.bookmark() != null) {
            url.addQueryParameter("bookmark", request.bookmark());
        }
        if (request.readOnly()) {
            url.addQueryParameter("readonly", "true");
        }
        JsonNode body = send("load", request.ido(), new Request.Builder().url(url.build()).get(), true);
        List<IdoItem> items = new ArrayList<>();
        JsonNode rawItems = body.get("Items");
        if (rawItems == null || !rawItems.isArray()) {
            throw new IdoException(request.ido(), "load", "response has no Items array");
        }
        for (JsonNode row : rawItems) {
            items.add(item(row));
        }
        JsonNode bookmark = body.get("Bookmark");
        return new IdoLoadResponse(request, items, bookmark == null || bookmark.isNull() ? null : bookmark.asText(),
                body.path("MoreRowsExist").asText("false").equalsIgnoreCase("true"));
    }

    /** Loads every page from {@code first} on, following the bookmark, handing each page to {@code pages}. */
    public void loadAll(IdoLoadRequest first, Consumer<IdoLoadResponse> pages) {
        for (IdoLoadRequest next = first; next != null; ) {
            IdoLoadResponse page = load(next);
            pages.accept(page);
            next = page.items().isEmpty() ? null : page.nextRequest();
        }
    }

    /**
     * UpdateCollection: all changes in one call. With {@code refresh} the changed rows come back (new ItemIds,
     * new RecordDate); otherwise the list is empty. Updates carry a new value per property and are safe to repeat;
     * inserts are not (a repeat after an ambiguous failure is not attempted).
     */
    public List<IdoItem> update(String ido, List<IdoChange> changes, boolean refresh) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("IDOName", ido);
        ArrayNode list = root.putArray("Changes");
        boolean idempotent = true;
        for (IdoChange change : changes) {
            ObjectNode c = list.addObject();
            c.put("Action", change.action());
            c.put("ItemId", change.itemId());
            ArrayNode props = c.putArray("Properties");
            change.properties().forEach((name, value) -> {
                ObjectNode p = props.addObject();
                p.put("Name", name);
                p.put("Value", value);
                p.put("Modified", true);
                p.put("IsNull", value == null);
            });
            c.put("UpdateLocking", 1);
            idempotent &= change.action() == 2;
        }
        HttpUrl.Builder url = base().addPathSegment("update").addPathSegment(ido);
        if (refresh) {
            url.addQueryParameter("refresh", "true");
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IonException("cannot write IDO update body", e);
        }
        JsonNode body = send("update", ido, new Request.Builder().url(url.build()).post(RequestBody.create(json, JSON)), idempotent);
        List<IdoItem> refreshed = new ArrayList<>();
        for (JsonNode item : body.path("RefreshItems")) {
            Map<String, String> values = new LinkedHashMap<>();
            for (JsonNode p : item.path("Properties")) {
                values.put(p.path("Name").asText(), p.path("IsNull").asBoolean(false) || p.path("Value").isNull() ? null : p.path("Value").asText());
            }
            refreshed.add(new IdoItem(values, item.path("ItemId").asText(null)));
        }
        return refreshed;
    }

    /**
     * The tenant's Mongoose configuration names ({@code GET .../ido/configurations}), e.g. to say which ones exist
     * when a configuration is refused. Sent without {@code X-Infor-MongooseConfig}: the listing belongs to no
     * configuration, and a wrong one must not spoil it.
     *
     * <p>Shape assumed: the Mongoose integration guide's {@code {"Success": true, "Configurations": ["CSI_DALS", ..]}}
     * (infor.md §4.1 names the endpoint only; the shape is from the guide's transcription, T4). Read leniently: a
     * bare array, and entries that are objects with a {@code Name}, are taken too, since no ION answer was seen.
     */
    public List<String> configurations() {
        HttpUrl url = base().addPathSegment("configurations").build();
        IonCall.Answer answer = call.execute("IDO configurations",
                new Request.Builder().url(url).get().header("Accept", "application/json").build(), true);
        JsonNode body = answer.body();
        if (body.isObject() && body.has("Success") && !body.path("Success").asText("false").equalsIgnoreCase("true")) {
            throw new IdoException("configurations", "list", body.path("Message").asText("no message"));
        }
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new IonHttpException("IDO configurations", answer.status(), body.path("Message").asText(null), null);
        }
        JsonNode list = body.isArray() ? body : body.path("Configurations");
        if (!list.isArray()) {
            throw new IdoException("configurations", "list", "response has no Configurations array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entry : list) {
            JsonNode name = !entry.isObject() ? entry : entry.has("Name") ? entry.get("Name") : entry.path("name");
            if (name.isValueNode() && !name.asText().isBlank()) {
                names.add(name.asText());
            }
        }
        return names;
    }

    private HttpUrl.Builder base() {
        return HttpUrl.get(apiBase).newBuilder().addPathSegment("CSI").addPathSegment("IDORequestService").addPathSegment("ido");
    }

    private JsonNode send(String operation, String ido, Request.Builder request, boolean idempotent) {
        IonCall.Answer answer = call.execute("IDO " + operation + " " + ido,
                request.header("X-Infor-MongooseConfig", configuration).header("Accept", "application/json").build(), idempotent);
        JsonNode body = answer.body();
        if (body.has("Success") && !body.path("Success").asText("false").equalsIgnoreCase("true")) {
            throw new IdoException(ido, operation, body.path("Message").asText("no message"));
        }
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new IonHttpException("IDO " + operation + " " + ido, answer.status(), body.path("Message").asText(null), null);
        }
        return body;
    }

    private static IdoItem item(JsonNode row) {
        Map<String, String> values = new LinkedHashMap<>();
        String itemId = null;
        for (Map.Entry<String, JsonNode> e : row.properties()) {
            if (e.getKey().equals("_ItemId")) {
                itemId = e.getValue().asText(null);
            } else {
                values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
        return new IdoItem(values, itemId);
    }
}
