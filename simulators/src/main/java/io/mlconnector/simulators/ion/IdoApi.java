package io.mlconnector.simulators.ion;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mongoose IDO REST v2 through ION: {@code GET .../ido/load/{IDO}}, {@code POST .../ido/update/{IDO}} and
 * {@code GET .../ido/configurations}.
 *
 * <p>Load honours properties (list, {@code *} or blank), filter, orderby (with DESC), recordcap (-1 = 200,
 * 0 = all), loadtype FIRST/NEXT/PREV/LAST with the XML-ish bookmark, and readonly; parameter names are
 * case-insensitive. RowPointer is always the last sort key, so paging is deterministic. Update applies
 * Action 1 (insert), 2 (update, optimistic lock on the ItemId's DT) and 4 (delete) all-or-nothing and counts
 * each applied change in {@code ido.writes.<IDO>}.
 */
final class IdoApi {

    private static final Pattern ITEM_ID = Pattern.compile("PBT=\\[(\\w+)]\\s+\\w+\\.DT=\\[([^]]*)]\\s+\\w+\\.ID=\\[([^]]*)]");
    private static final Pattern BOOKMARK_PART = Pattern.compile("<([PDFL])>(.*?)</\\1>");
    private static final Pattern BOOKMARK_VALUE = Pattern.compile("<([pfv])>(.*?)</\\1>|<v/>");

    private record Order(String property, boolean desc) {
    }

    private final IdoData data;
    private final RequestLog log;

    IdoApi(IdoData data, RequestLog log) {
        this.data = data;
        this.log = log;
    }

    SimResponse load(SimRequest req, String user) {
        IdoData.Collection c = collection(req);
        if (c == null) {
            return failure(req.header("X-Infor-MongooseConfig") == null ? 400 : 200, missingMessage(req));
        }
        try {
            synchronized (data) {
                return SimResponse.json(200, loadPage(req, c));
            }
        } catch (IllegalArgumentException e) {
            return failure(200, e.getMessage());
        }
    }

    private Map<String, Object> loadPage(SimRequest req, IdoData.Collection c) {
        String propsText = req.queryIgnoreCase("properties");
        boolean readOnly = "true".equalsIgnoreCase(req.queryIgnoreCase("readonly"));
        List<String> props = new ArrayList<>();
        boolean itemIds = !readOnly;
        if (propsText == null || propsText.isBlank() || propsText.trim().equals("*")) {
            props.addAll(c.properties);
        } else {
            for (String p : propsText.split(",")) {
                String name = p.trim();
                if (name.equalsIgnoreCase("_ItemId")) {
                    itemIds = true;
                    continue;
                }
                String canonical = c.property(name);
                if (canonical == null) {
                    throw new IllegalArgumentException("Property " + name + " was not found on IDO " + c.name);
                }
                props.add(canonical);
            }
        }
        Predicate<Map<String, String>> filter = WhereClause.parse(req.queryIgnoreCase("filter"), c::property);
        List<Order> order = orderBy(c, req.queryIgnoreCase("orderby"));
        Comparator<Map<String, String>> cmp = comparator(order);
        String capText = req.queryIgnoreCase("recordcap");
        int cap = capText == null || capText.isBlank() ? 200 : Integer.parseInt(capText.trim());
        cap = cap < 0 ? 200 : cap == 0 ? Integer.MAX_VALUE : cap;
        String loadType = req.queryIgnoreCase("loadtype") == null ? "FIRST" : req.queryIgnoreCase("loadtype").toUpperCase(Locale.ROOT);

        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : c.rows.values()) {
            if (filter.test(row)) {
                rows.add(row);
            }
        }
        rows.sort(cmp);
        String bookmark = req.queryIgnoreCase("bookmark");
        int from;
        int to;
        switch (loadType) {
            case "FIRST" -> {
                from = 0;
                to = Math.min(rows.size(), cap);
            }
            case "LAST" -> {
                to = rows.size();
                from = Math.max(0, to - cap);
            }
            case "NEXT" -> {
                Map<String, String> last = bookmarkRow(bookmark, "L", order);
                from = last == null ? 0 : firstAfter(rows, last, cmp);
                to = Math.min(rows.size(), from + cap);
            }
            case "PREV" -> {
                Map<String, String> first = bookmarkRow(bookmark, "F", order);
                to = first == null ? rows.size() : firstAtOrAfter(rows, first, cmp);
                from = Math.max(0, to - cap);
            }
            default -> throw new IllegalArgumentException("Load type " + loadType + " is not valid");
        }
        List<Map<String, String>> page = rows.subList(from, to);
        List<Map<String, Object>> items = new ArrayList<>(page.size());
        for (Map<String, String> row : page) {
            Map<String, Object> item = new LinkedHashMap<>();
            props.forEach(p -> item.put(p, row.get(p)));
            if (itemIds) {
                item.put("_ItemId", c.itemId(row));
            }
            items.add(item);
        }
        boolean more = loadType.equals("PREV") || loadType.equals("LAST") ? from > 0 : to < rows.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Items", items);
        body.put("Bookmark", page.isEmpty() ? bookmark : bookmark(order, page.get(0), page.get(page.size() - 1)));
        body.put("MoreRowsExist", more);
        body.put("Success", true);
        body.put("Message", null);
        return body;
    }

    /**
     * The configuration names in the Mongoose guide's shape ({@code Configurations}: names); {@code configgroup} is
     * ignored, as the simulator has one group.
     */
    SimResponse configurations() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Message", null);
        body.put("Success", true);
        synchronized (data) {
            body.put("Configurations", new ArrayList<>(data.sites.keySet()));
        }
        return SimResponse.json(200, body);
    }

    SimResponse update(SimRequest req, String user) {
        IdoData.Collection c = collection(req);
        if (c == null) {
            return failure(req.header("X-Infor-MongooseConfig") == null ? 400 : 200, missingMessage(req));
        }
        boolean refresh = "true".equalsIgnoreCase(req.queryIgnoreCase("refresh"));
        JsonNode changes = req.json().path("Changes");
        if (!changes.isArray() || changes.isEmpty()) {
            return failure(200, "The request has no Changes");
        }
        synchronized (data) {
            List<Runnable> apply = new ArrayList<>();
            List<Map<String, Object>> refreshItems = new ArrayList<>();
            try {
                int itemNo = 0;
                for (JsonNode change : changes) {
                    int action = change.path("Action").asInt();
                    Map<String, String> values = new LinkedHashMap<>();
                    for (JsonNode p : change.path("Properties")) {
                        if (p.path("Modified").asBoolean(true)) {
                            values.put(p.path("Name").asText(), p.path("IsNull").asBoolean(false) || p.path("Value").isNull() ? null : p.path("Value").asText());
                        }
                    }
                    int no = itemNo++;
                    switch (action) {
                        case 1 -> {
                            for (String key : c.keys) {
                                if (values.get(key) == null) {
                                    throw new IllegalArgumentException("Key property " + key + " is required to insert into " + c.name);
                                }
                            }
                            if (findByKeys(c, values) != null) {
                                throw new IllegalArgumentException("A row with the same key already exists in " + c.name);
                            }
                            apply.add(() -> refreshItems.add(refreshItem(c, data.insert(c, values, user), 1, no)));
                        }
                        case 2 -> {
                            Map<String, String> row = locate(c, change, values, change.path("UpdateLocking").asInt(1) != 0);
                            apply.add(() -> {
                                data.update(c, row, values, user);
                                refreshItems.add(refreshItem(c, row, 2, no));
                            });
                        }
                        case 4 -> {
                            Map<String, String> row = locate(c, change, values, change.path("UpdateLocking").asInt(1) != 0);
                            apply.add(() -> c.rows.remove(row.get("RowPointer")));
                        }
                        default -> throw new IllegalArgumentException("Action " + action + " is not valid (1 insert, 2 update, 4 delete)");
                    }
                }
            } catch (IllegalArgumentException e) {
                return failure(200, e.getMessage());
            }
            apply.forEach(Runnable::run);
            apply.forEach(a -> log.increment("ido.writes." + c.name));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Message", null);
            body.put("Success", true);
            body.put("RefreshItems", refresh && !refreshItems.isEmpty() ? refreshItems : null);
            return SimResponse.json(200, body);
        }
    }

    private Map<String, String> locate(IdoData.Collection c, JsonNode change, Map<String, String> values, boolean locking) {
        String itemId = change.path("ItemId").asText("");
        if (itemId.isBlank()) {
            Map<String, String> row = findByKeys(c, values);
            if (row == null) {
                throw new IllegalArgumentException("No row of " + c.name + " has the given key properties");
            }
            return row;
        }
        Matcher m = ITEM_ID.matcher(itemId);
        if (!m.find()) {
            throw new IllegalArgumentException("ItemId is not valid: " + itemId);
        }
        Map<String, String> row = c.rows.get(m.group(3));
        if (row == null) {
            throw new IllegalArgumentException("The row was deleted by another user");
        }
        if (locking && !IdoData.isoStamp(row.get("RecordDate")).equals(m.group(2))) {
            throw new IllegalArgumentException("The row was changed by another user (RecordDate " + row.get("RecordDate") + ")");
        }
        return row;
    }

    private static Map<String, String> findByKeys(IdoData.Collection c, Map<String, String> values) {
        Map<String, String> canonical = new LinkedHashMap<>();
        values.forEach((k, v) -> canonical.put(c.property(k), v));
        for (Map<String, String> row : c.rows.values()) {
            if (c.keys.stream().allMatch(k -> canonical.get(k) != null && canonical.get(k).equals(row.get(k)))) {
                return row;
            }
        }
        return null;
    }

    private static Map<String, Object> refreshItem(IdoData.Collection c, Map<String, String> row, int action, int itemNo) {
        List<Map<String, Object>> props = new ArrayList<>();
        row.forEach((k, v) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("IsNestedCollection", false);
            p.put("IsNull", v == null);
            p.put("Modified", false);
            p.put("Name", k);
            p.put("OriginalValue", null);
            p.put("Value", v);
            props.add(p);
        });
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Action", action);
        item.put("ItemId", c.itemId(row));
        item.put("ItemNo", itemNo);
        item.put("Properties", props);
        item.put("UpdateLocking", 0);
        return item;
    }

    private IdoData.Collection collection(SimRequest req) {
        String config = req.header("X-Infor-MongooseConfig");
        return config == null ? null : data.collection(config, req.group(2));
    }

    private String missingMessage(SimRequest req) {
        String config = req.header("X-Infor-MongooseConfig");
        if (config == null) {
            return "The X-Infor-MongooseConfig header is required";
        }
        if (!data.sites.containsKey(config)) {
            return "Configuration " + config + " does not exist";
        }
        return "IDO " + req.group(2) + " does not exist";
    }

    private static SimResponse failure(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Items", null);
        body.put("Message", message);
        body.put("Success", false);
        return SimResponse.json(status, body);
    }

    private static List<Order> orderBy(IdoData.Collection c, String text) {
        List<Order> order = new ArrayList<>();
        if (text == null || text.isBlank()) {
            c.keys.forEach(k -> order.add(new Order(k, false)));
        } else {
            for (String part : text.split(",")) {
                String[] words = part.trim().split("\\s+");
                String p = c.property(words[0]);
                if (p == null) {
                    throw new IllegalArgumentException("Property " + words[0] + " in orderby was not found on IDO " + c.name);
                }
                order.add(new Order(p, words.length > 1 && words[1].equalsIgnoreCase("DESC")));
            }
        }
        if (order.stream().noneMatch(o -> o.property.equals("RowPointer"))) {
            order.add(new Order("RowPointer", false));
        }
        return order;
    }

    private static Comparator<Map<String, String>> comparator(List<Order> order) {
        return (a, b) -> {
            for (Order o : order) {
                int r = WhereClause.compare(a.get(o.property), b.get(o.property));
                if (r != 0) {
                    return o.desc ? -r : r;
                }
            }
            return 0;
        };
    }

    private static int firstAfter(List<Map<String, String>> rows, Map<String, String> probe, Comparator<Map<String, String>> cmp) {
        int i = firstAtOrAfter(rows, probe, cmp);
        return i < rows.size() && cmp.compare(rows.get(i), probe) == 0 ? i + 1 : i;
    }

    private static int firstAtOrAfter(List<Map<String, String>> rows, Map<String, String> probe, Comparator<Map<String, String>> cmp) {
        int lo = 0;
        int hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp.compare(rows.get(mid), probe) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String bookmark(List<Order> order, Map<String, String> first, Map<String, String> last) {
        StringBuilder b = new StringBuilder("<B><P>");
        order.forEach(o -> b.append("<p>").append(o.property).append("</p>"));
        b.append("</P><D>");
        order.forEach(o -> b.append("<f>").append(o.desc).append("</f>"));
        b.append("</D><F>");
        order.forEach(o -> b.append(value(first.get(o.property))));
        b.append("</F><L>");
        order.forEach(o -> b.append(value(last.get(o.property))));
        return b.append("</L></B>").toString();
    }

    private static String value(String v) {
        return v == null ? "<v/>" : "<v>" + v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</v>";
    }

    /** The row position a bookmark's F or L part points at, as a partial row; null without a bookmark. */
    private static Map<String, String> bookmarkRow(String bookmark, String part, List<Order> order) {
        if (bookmark == null || bookmark.isBlank()) {
            return null;
        }
        Map<String, List<String>> parts = new LinkedHashMap<>();
        Matcher m = BOOKMARK_PART.matcher(bookmark);
        while (m.find()) {
            List<String> values = new ArrayList<>();
            Matcher v = BOOKMARK_VALUE.matcher(m.group(2));
            while (v.find()) {
                values.add(v.group(2) == null ? null : v.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
            }
            parts.put(m.group(1), values);
        }
        List<String> names = parts.get("P");
        List<String> values = parts.get(part);
        if (names == null || values == null || names.size() != values.size()) {
            throw new IllegalArgumentException("Bookmark is not valid");
        }
        List<String> expected = order.stream().map(Order::property).toList();
        if (!names.equals(expected)) {
            throw new IllegalArgumentException("Bookmark does not match the orderby " + expected);
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            row.put(names.get(i), values.get(i));
        }
        return row;
    }
}
