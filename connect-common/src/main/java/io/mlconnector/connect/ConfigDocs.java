package io.mlconnector.connect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a connector's {@link ConfigDef} as the Markdown reference in {@code docs/}, so the docs of
 * every option come from the code that defines it. Each connector module has a test that fails when
 * its page is stale; {@code -Dmlconnector.docs.update=true} rewrites the page instead.
 */
public final class ConfigDocs {

    public static final String UPDATE_PROPERTY = "mlconnector.docs.update";

    private ConfigDocs() {
    }

    public static String markdown(String title, String connectorClass, String summary, ConfigDef def) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append(" configuration\n\n")
                .append("<!-- Generated from the connector's ConfigDef by ConfigDocs; do not edit by hand. -->\n\n")
                .append(summary).append("\n\n")
                .append("`connector.class`: `").append(connectorClass).append("`\n");
        appendGroups(md, "## ", "", def);
        return md.toString();
    }

    /**
     * A further section for settings that repeat under a prefix (such as one set per rule), each
     * setting shown as {@code prefix + name}.
     */
    public static String section(String heading, String intro, String prefix, ConfigDef def) {
        StringBuilder md = new StringBuilder("\n## ").append(heading).append("\n\n").append(intro).append("\n");
        appendGroups(md, "### ", prefix, def);
        return md.toString();
    }

    private static void appendGroups(StringBuilder md, String level, String prefix, ConfigDef def) {
        for (Map.Entry<String, List<ConfigKey>> group : byGroup(def).entrySet()) {
            md.append("\n").append(level).append(group.getKey()).append("\n\n")
                    .append("| setting | type | default | valid values | importance | description |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigKey key : group.getValue()) {
                md.append("| `").append(prefix).append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        }
    }

    /**
     * Fails when {@code page} differs from the generated text, naming the command that regenerates it;
     * with {@value #UPDATE_PROPERTY}=true it writes the page instead.
     */
    public static void assertUpToDate(Path page, String generated) throws IOException {
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(page.getParent());
            Files.writeString(page, generated);
            return;
        }
        String current = Files.exists(page) ? Files.readString(page) : "";
        if (!current.equals(generated)) {
            throw new AssertionError(page.toAbsolutePath().normalize() + " is stale: regenerate it with "
                    + "`mvn -B -ntp test -D" + UPDATE_PROPERTY + "=true` and commit the result");
        }
    }

    private static Map<String, List<ConfigKey>> byGroup(ConfigDef def) {
        Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
        for (String group : def.groups()) {
            groups.put(group, new ArrayList<>());
        }
        for (ConfigKey key : def.configKeys().values()) {
            groups.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
        }
        groups.values().removeIf(List::isEmpty);
        groups.values().forEach(keys -> keys.sort(Comparator.comparingInt((ConfigKey k) -> k.orderInGroup)
                .thenComparing(k -> k.name)));
        return groups;
    }

    private static String defaultValue(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "null";
        }
        if (key.defaultValue instanceof Password) {
            return "[hidden]";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? "\"\"" : "`" + cell(text) + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
