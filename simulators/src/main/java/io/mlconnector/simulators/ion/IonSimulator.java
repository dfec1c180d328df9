package io.mlconnector.simulators.ion;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.FaultInjector;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stateful ION API Gateway for one tenant: the authorization server, M3 MI REST and SyteLine IDO REST, with
 * the shared fault injection and request log.
 *
 * <p>Addresses, with {@code B} = {@link #baseUrl()} and {@code T} = the tenant:
 * <ul>
 *   <li>{@code POST B/T/as/token.oauth2}, {@code POST B/T/as/revoke_token.oauth2} (the .ionapi {@code pu} is {@code B/T/as/})</li>
 *   <li>{@code GET B/T/M3/m3api-rest/v2/execute/PROGRAM/TRANSACTION[;matrix]?FIELD=..} and the v1 {@code .../m3api-rest/execute/...}
 *       (route names {@code m3.PROGRAM.TRANSACTION})</li>
 *   <li>{@code GET B/T/CSI/IDORequestService/ido/load/IDO}, {@code POST .../ido/update/IDO} with
 *       {@code X-Infor-MongooseConfig: T_DALS} or {@code T_OHIO} (route names {@code ido.load.IDO}, {@code ido.update.IDO})</li>
 *   <li>{@code GET B/T/CSI/IDORequestService/ido/configurations}: the Mongoose configuration names, no header needed
 *       (route name {@code ido.configurations})</li>
 * </ul>
 *
 * <p>Control API, besides the shared {@code /_sim/requests}, {@code /_sim/counters} and {@code /_sim/faults}:
 * <ul>
 *   <li>{@code GET /_sim/ion}: tenant, URLs, companies, Mongoose configurations, row counts.</li>
 *   <li>{@code GET /_sim/ionapi}: a working .ionapi document for this simulator.</li>
 *   <li>{@code GET /_sim/m3/TABLE?CONO=100&PUNO=..&limit=N}: rows of an M3 table (MPHEAD, MPLINE, CIDMAS, FAPIBH,
 *       FAPIBL, FPLEDG, FCHACC, CUGEX1) whose fields equal the given values.</li>
 *   <li>{@code POST /_sim/m3/TABLE} {@code {FIELD: value}}: add a row, stamped as new (MPHEAD gets a PUNO if none).</li>
 *   <li>{@code PATCH /_sim/m3/TABLE} {@code {"key": {..}, "set": {..}}}: change a row; LMDT, CHNO, CHID and LMTS move.</li>
 *   <li>{@code GET|POST /_sim/ido/CONFIG/IDO}, {@code PATCH /_sim/ido/CONFIG/IDO/ROWPOINTER}: the same for IDO rows;
 *       RecordDate moves.</li>
 *   <li>{@code POST /_sim/oauth/expire-tokens}: end every access token now; {@code POST /_sim/oauth/lifetime}
 *       {@code {"seconds": N}}: lifetime of tokens issued from now on.</li>
 * </ul>
 */
public final class IonSimulator implements AutoCloseable {

    private final IonSimulatorConfig config;
    private final SimulatorHttpServer server;
    private final OAuthServer oauth;
    private final M3Data m3;
    private final IdoData ido;

    private IonSimulator(IonSimulatorConfig config) throws IOException {
        this.config = config;
        Clock clock = Clock.system(config.zone());
        this.server = SimulatorHttpServer.start(config.port(), config.seed());
        this.oauth = new OAuthServer(config, clock, server.log());
        this.m3 = new M3Data(clock);
        m3.seed(config.seed(), config.suppliersPerCompany(), config.purchaseOrders(), config.invoices(), config.maxLinesPerOrder());
        this.ido = new IdoData(clock, config.tenant());
        ido.seed(config.seed(), config.syteLineRecords());
        routes();
    }

    public static IonSimulator start(IonSimulatorConfig config) throws IOException {
        return new IonSimulator(config);
    }

    public IonSimulatorConfig config() {
        return config;
    }

    /** {@code http://127.0.0.1:PORT}: the .ionapi {@code iu}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public String tenant() {
        return config.tenant();
    }

    public RequestLog log() {
        return server.log();
    }

    public FaultInjector faults() {
        return server.faults();
    }

    /** The Mongoose configuration names, one per site. */
    public List<String> mongooseConfigs() {
        return new ArrayList<>(ido.sites.keySet());
    }

    /** A tenant whose M3 table lacks {@code field} (e.g. an older release): EXPORTMI refuses and no longer lists it. */
    public void dropM3Column(String table, String field) {
        synchronized (m3) {
            m3.table(table).dropColumn(field);
        }
    }

    /**
     * Rewrites every LMTS of an M3 table from epoch milliseconds to {@code yyyyMMddHHmmssSSS} (UTC): a tenant whose
     * timestamps have another format than the one the references leave open.
     */
    public void writeM3StampsAsDateTime(String table) {
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
                .withZone(java.time.ZoneOffset.UTC);
        synchronized (m3) {
            m3.table(table).scan(null, row -> true, 0).forEach(row -> row.put("LMTS",
                    format.format(java.time.Instant.ofEpochMilli(Long.parseLong(row.get("LMTS"))))));
        }
    }

    /**
     * The service account's default division; null is blank. EXPORTMI honours a division filter only in a
     * blank-division session, so with one set every division filter reads this division's rows.
     */
    public void setM3SessionDivision(String division) {
        m3.sessionDivision = division;
    }

    /** Ends every access token now (refresh tokens survive), as a gateway-side revocation would. */
    public void expireAccessTokens() {
        oauth.expireAllAccessTokens();
    }

    /** A complete .ionapi document (JSON) pointing at this simulator. */
    public String ionApiJson() {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("ti", config.tenant());
        file.put("cn", "ml-connector-simulator");
        file.put("dt", "12");
        file.put("ci", config.clientId());
        file.put("cs", config.clientSecret());
        file.put("iu", baseUrl());
        file.put("pu", baseUrl() + "/" + config.tenant() + "/as/");
        file.put("oa", "authorization.oauth2");
        file.put("ot", "token.oauth2");
        file.put("or", "revoke_token.oauth2");
        file.put("ev", "U00000000");
        file.put("v", "1.0");
        file.put("saak", config.serviceAccountAccessKey());
        file.put("sask", config.serviceAccountSecretKey());
        return Json.writeString(file);
    }

    @Override
    public void close() {
        server.close();
    }

    private void routes() {
        String t = "/(" + java.util.regex.Pattern.quote(config.tenant()) + ")";
        server.route("POST", t + "/as/token\\.oauth2", "oauth.token", oauth::token);
        server.route("POST", t + "/as/revoke_token\\.oauth2", "oauth.revoke", oauth::revoke);
        server.route("GET", t + "/as/revoke_token\\.oauth2", "oauth.revoke", oauth::revoke);
        M3Api m3Api = new M3Api(m3);
        server.route("GET", t + "/M3/m3api-rest(/v2)?/execute/([^/;?]+)/([^/;?]+)(;.*)?", "m3.{3}.{4}", req -> {
            String user = oauth.authenticate(req);
            return user == null ? OAuthServer.unauthorized() : m3Api.execute(req, user, req.group(2) != null);
        });
        IdoApi idoApi = new IdoApi(ido, server.log());
        server.route("GET", t + "/CSI/IDORequestService/ido/load/([^/?]+)", "ido.load.{2}", req -> {
            String user = oauth.authenticate(req);
            return user == null ? OAuthServer.unauthorized() : idoApi.load(req, user);
        });
        server.route("POST", t + "/CSI/IDORequestService/ido/update/([^/?]+)", "ido.update.{2}", req -> {
            String user = oauth.authenticate(req);
            return user == null ? OAuthServer.unauthorized() : idoApi.update(req, user);
        });
        server.route("GET", t + "/CSI/IDORequestService/ido/configurations", "ido.configurations", req -> {
            String user = oauth.authenticate(req);
            return user == null ? OAuthServer.unauthorized() : idoApi.configurations();
        });
        controlRoutes();
    }

    private void controlRoutes() {
        server.controlRoute("GET", "/_sim/ion", req -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("baseUrl", baseUrl());
            info.put("tenant", config.tenant());
            info.put("companies", M3Data.COMPANIES);
            info.put("mongooseConfigs", mongooseConfigs());
            Map<String, Integer> sizes = new LinkedHashMap<>();
            synchronized (m3) {
                m3.tables.forEach(tb -> sizes.put(tb.name, tb.size()));
            }
            info.put("m3Rows", sizes);
            info.put("liveAccessTokens", oauth.liveAccessTokens());
            return SimResponse.json(200, info);
        });
        server.controlRoute("GET", "/_sim/ionapi", req -> SimResponse.raw(200, "application/json", ionApiJson()));
        server.controlRoute("GET", "/_sim/m3/(\\w+)", req -> {
            M3Table table = m3Table(req.group(1));
            Map<String, String> match = new LinkedHashMap<>(req.query());
            int limit = Integer.parseInt(match.getOrDefault("limit", "1000"));
            match.remove("limit");
            synchronized (m3) {
                List<Map<String, String>> rows = table.scan(null, r -> match.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.get(e.getKey()))), limit);
                return SimResponse.json(200, rows.stream().map(LinkedHashMap::new).toList());
            }
        });
        server.controlRoute("POST", "/_sim/m3/(\\w+)", req -> {
            M3Table table = m3Table(req.group(1));
            Map<String, String> row = strings(req.json());
            synchronized (m3) {
                if (table == m3.heads && row.getOrDefault("PUNO", "").isBlank()) {
                    row.put("PUNO", m3.nextPuno());
                }
                row.putIfAbsent("CONO", "100");
                if (table.contains(row)) {
                    throw new IllegalArgumentException(table.name + " already has that key");
                }
                Map<String, String> stored = table.put(m3.created(row, "SIMCTRL"));
                if (table == m3.lines) {
                    Map<String, String> head = m3.heads.get(stored);
                    if (head != null) {
                        m3.recalculateHead(head);
                        m3.changed(head, "SIMCTRL");
                    }
                }
                return SimResponse.json(201, new LinkedHashMap<>(stored));
            }
        });
        // a record deleted from the database behind M3's back, e.g. to try a writeback to a record that is gone
        server.controlRoute("DELETE", "/_sim/m3/(\\w+)", req -> {
            M3Table table = m3Table(req.group(1));
            synchronized (m3) {
                Map<String, String> removed = table.remove(new LinkedHashMap<>(req.query()));
                return removed == null ? SimResponse.json(404, Map.of("error", "no " + table.name + " row with key "
                        + req.query())) : SimResponse.json(200, new LinkedHashMap<>(removed));
            }
        });
        server.controlRoute("PATCH", "/_sim/m3/(\\w+)", req -> {
            M3Table table = m3Table(req.group(1));
            JsonNode body = req.json();
            Map<String, String> key = strings(body.path("key"));
            synchronized (m3) {
                Map<String, String> row = table.get(key);
                if (row == null) {
                    return SimResponse.json(404, Map.of("error", "no " + table.name + " row with key " + key));
                }
                Map<String, String> set = strings(body.path("set"));
                for (String k : table.keyFields) {
                    if (set.containsKey(k)) {
                        throw new IllegalArgumentException("key field " + k + " cannot change");
                    }
                }
                row.putAll(set);
                m3.changed(row, "SIMCTRL");
                return SimResponse.json(200, new LinkedHashMap<>(row));
            }
        });
        server.controlRoute("GET", "/_sim/ido/([^/]+)/(\\w+)", req -> {
            IdoData.Collection c = idoCollection(req.group(1), req.group(2));
            synchronized (ido) {
                return SimResponse.json(200, new ArrayList<>(c.rows.values()));
            }
        });
        server.controlRoute("POST", "/_sim/ido/([^/]+)/(\\w+)", req -> {
            IdoData.Collection c = idoCollection(req.group(1), req.group(2));
            synchronized (ido) {
                return SimResponse.json(201, ido.insert(c, strings(req.json()), "simctrl"));
            }
        });
        server.controlRoute("PATCH", "/_sim/ido/([^/]+)/(\\w+)/([^/]+)", req -> {
            IdoData.Collection c = idoCollection(req.group(1), req.group(2));
            synchronized (ido) {
                Map<String, String> row = c.rows.get(req.group(3));
                if (row == null) {
                    return SimResponse.json(404, Map.of("error", "no row " + req.group(3)));
                }
                ido.update(c, row, strings(req.json()), "simctrl");
                return SimResponse.json(200, row);
            }
        });
        server.controlRoute("POST", "/_sim/oauth/expire-tokens", req -> {
            expireAccessTokens();
            return SimResponse.empty(204);
        });
        server.controlRoute("POST", "/_sim/oauth/lifetime", req -> {
            oauth.setTokenLifetimeSeconds(req.json().path("seconds").asLong(config.tokenLifetimeSeconds()));
            return SimResponse.empty(204);
        });
    }

    private M3Table m3Table(String name) {
        M3Table table = m3.table(name);
        if (table == null) {
            throw new IllegalArgumentException("no M3 table " + name);
        }
        return table;
    }

    private IdoData.Collection idoCollection(String configName, String idoName) {
        IdoData.Collection c = ido.collection(configName, idoName);
        if (c == null) {
            throw new IllegalArgumentException("no IDO " + idoName + " in configuration " + configName);
        }
        return c;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return out;
    }
}
