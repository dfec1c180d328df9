package io.mlconnector.asana;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A workspace's custom fields by name and gid, read once. Names can be renamed in Asana, so callers
 * keep gids and {@link AsanaClient#refreshCustomFields re-read} when they meet an unknown one.
 */
public final class CustomFieldCatalog {
    private final String workspaceGid;
    private final Map<String, CustomField> byGid;
    private final Map<String, CustomField> byName;

    CustomFieldCatalog(String workspaceGid, List<CustomField> fields) {
        this.workspaceGid = workspaceGid;
        this.byGid = fields.stream().collect(Collectors.toUnmodifiableMap(CustomField::gid, Function.identity()));
        // Names are unique per workspace in Asana; the first wins should that ever not hold.
        this.byName = fields.stream().collect(Collectors.toUnmodifiableMap(CustomField::name, Function.identity(),
                (first, second) -> first));
    }

    public String workspaceGid() {
        return workspaceGid;
    }

    public Optional<CustomField> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<CustomField> byGid(String gid) {
        return Optional.ofNullable(byGid.get(gid));
    }

    /** The field named {@code name}, failing with the names that do exist. */
    public CustomField require(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException(
                "workspace " + workspaceGid + " has no custom field named '" + name + "' (has " + byName.keySet() + ")"));
    }

    public List<CustomField> all() {
        return List.copyOf(byGid.values());
    }
}
