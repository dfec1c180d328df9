package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * One unit of work and the Connect source partition it is stored under: an entity of one M3 company/division
 * (suppliers and GL accounts: company only) or of one SyteLine site. The map carries a protocol version so the offset format
 * can change later without losing positions, as kafka-connect-jdbc does.
 *
 * @param division M3 division; empty for M3 suppliers and GL accounts, and for SyteLine
 */
public record SourcePartition(String tenant, InforBackend backend, Entity entity, String company, String division) {

    public static final String PROTOCOL = "1";

    /**
     * A HashMap on purpose: Connect finds an offset by the partition's serialized bytes, and GET
     * /connectors/{name}/offsets answers with HashMap order, so a partition copied from there into a PATCH
     * serializes the same as the one the task writes.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>();
        map.put("protocol", PROTOCOL);
        map.put("tenant", tenant);
        map.put("backend", backend.name().toLowerCase(Locale.ROOT));
        map.put("entity", entity.id());
        map.put("company", company);
        map.put("division", division);
        return map;
    }

    /** Reads a partition map as stored or as a user PATCHes it; the message names what is wrong. */
    public static SourcePartition fromMap(Map<String, ?> map) {
        if (map == null) {
            throw new ConnectException("the source partition is missing");
        }
        String protocol = text(map, "protocol");
        if (!PROTOCOL.equals(protocol)) {
            throw new ConnectException("source partition " + map + ": protocol must be \"" + PROTOCOL + "\"");
        }
        InforBackend backend;
        Entity entity;
        try {
            backend = InforBackend.parse(text(map, "backend"));
            entity = Entity.of(text(map, "entity"));
        } catch (IllegalArgumentException e) {
            throw new ConnectException("source partition " + map + ": " + e.getMessage());
        }
        Object division = map.get("division");
        return new SourcePartition(text(map, "tenant"), backend, entity, text(map, "company"),
                division == null ? "" : division.toString());
    }

    private static String text(Map<String, ?> map, String key) {
        Object v = map.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ConnectException("source partition " + map + ": \"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    /** {@code purchase-orders/100/AAA} or {@code suppliers/ACME_TST_DALS/}: what a task config names. */
    String unit() {
        return entity.id() + "/" + company + "/" + division;
    }

    @Override
    public String toString() {
        return entity.id() + " of " + company + (division.isEmpty() ? "" : "/" + division);
    }

    static String encodeUnits(List<SourcePartition> partitions) {
        return String.join(",", partitions.stream().map(SourcePartition::unit).toList());
    }

    static List<SourcePartition> decodeUnits(String tenant, InforBackend backend, String units) {
        List<SourcePartition> out = new ArrayList<>();
        for (String unit : units.split(",")) {
            String[] p = unit.split("/", -1);
            out.add(new SourcePartition(tenant, backend, Entity.of(p[0]), p[1], p[2]));
        }
        return out;
    }

    /** Every partition the config names, in a stable order: entity, then company/division or site. */
    static List<SourcePartition> all(InforSourceConfig config, String tenant) {
        List<SourcePartition> out = new ArrayList<>();
        for (Entity entity : config.entities()) {
            if (config.backend() == InforBackend.SYTELINE) {
                config.sites().forEach(site -> out.add(new SourcePartition(tenant, InforBackend.SYTELINE, entity, site, "")));
            } else if (!entity.perDivision()) {
                config.m3Divisions().stream().map(cd -> cd[0]).distinct()
                        .forEach(cono -> out.add(new SourcePartition(tenant, InforBackend.M3, entity, cono, "")));
            } else {
                config.m3Divisions().forEach(cd -> out.add(new SourcePartition(tenant, InforBackend.M3, entity, cd[0], cd[1])));
            }
        }
        return out;
    }
}
