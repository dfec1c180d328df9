package io.mlconnector.connect;

import java.util.Locale;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The connection settings that several plugins share, defined once so their names and docs agree. */
public final class ConnectionSettings {

    public static final String ION_CREDENTIALS = "ion.credentials";
    public static final String INFOR_BACKEND = "infor.backend";
    public static final String ION_REQUEST_TIMEOUT = "ion.request.timeout.ms";
    public static final String ASANA_TOKEN = "asana.token";
    public static final String ASANA_TOKEN_TYPE = "asana.token.type";
    public static final String ASANA_BASE_URL = "asana.base.url";
    public static final String ASANA_RATE_LIMIT = "asana.rate.limit.per.minute";
    public static final String ASANA_REQUEST_TIMEOUT = "asana.request.timeout.ms";

    public static final String GROUP_INFOR = "Infor CloudSuite";
    public static final String GROUP_ASANA = "Asana";

    /** The CloudSuite ERP behind the ION API Gateway. */
    public enum InforBackend {
        M3, SYTELINE;

        public static InforBackend parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** How the Asana token was issued: only OAuth tokens can set or read a task's {@code external} id. */
    public enum AsanaTokenType {
        PAT, OAUTH;

        public static AsanaTokenType parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    private ConnectionSettings() {
    }

    /**
     * Adds {@value #ION_CREDENTIALS} and {@value #INFOR_BACKEND} as the first settings of the Infor group,
     * and {@value #ION_REQUEST_TIMEOUT} at place 20. {@code ionUrls} reads the URLs out of an .ionapi document,
     * so that credentials meant for one host are never sent to another ({@link Destinations}).
     */
    public static ConfigDef defineInfor(ConfigDef def, Function<String, Iterable<String>> ionUrls) {
        return def
                .define(ION_CREDENTIALS, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE,
                        Destinations.ionCredentials(ionUrls), Importance.HIGH,
                        "The whole content of the tenant's .ionapi file for a backend-service client. Supply it "
                                + "through a ConfigProvider, e.g. ${file:/etc/ml-connector/tenant.properties:ionapi} "
                                + "or ${dir:/run/secrets:tenant.ionapi}, so it never sits in the config topic. The "
                                + "connector calls only the https URLs in the document itself (iu, pu).",
                        GROUP_INFOR, 1, Width.LONG, "ION API credentials (.ionapi)")
                .define(INFOR_BACKEND, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.CaseInsensitiveValidString.in("M3", "SYTELINE"), Importance.HIGH,
                        "The CloudSuite ERP of the tenant: M3 (MI transactions) or SYTELINE (IDO REST).",
                        GROUP_INFOR, 2, Width.SHORT, "Backend")
                .define(ION_REQUEST_TIMEOUT, Type.INT, 65_000, ConfigDef.Range.atLeast(1000), Importance.LOW,
                        "Milliseconds an ION API call may wait for its answer before it counts as failed and is "
                                + "retried. The default is just past the gateway's own 60 s cut-off.",
                        GROUP_INFOR, 20, Width.SHORT, "Request timeout");
    }

    /**
     * Adds the Asana token, its type, the API base URL, the token's rate limit and the request timeout to the Asana group.
     * A connector's own Asana settings take the places from 3 to 19 in the group.
     */
    public static ConfigDef defineAsana(ConfigDef def) {
        return def.define(ASANA_TOKEN, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "An Asana Personal Access Token or OAuth access token, sent as a Bearer token. Supply it "
                                + "through a ConfigProvider, e.g. ${env:ASANA_TOKEN}.",
                        GROUP_ASANA, 1, Width.LONG, "Asana token")
                .define(ASANA_TOKEN_TYPE, Type.STRING, "PAT", ConfigDef.CaseInsensitiveValidString.in("PAT", "OAUTH"),
                        Importance.HIGH, "PAT for a Personal Access Token, OAUTH for an OAuth access token. Only "
                                + "OAuth tokens can use a task's external id: the sink then finds tasks by it, and "
                                + "the webhook source puts it in its records.",
                        GROUP_ASANA, 2, Width.SHORT, "Token type")
                .define(ASANA_BASE_URL, Type.STRING, "https://app.asana.com/api/1.0", Destinations.asanaBaseUrl(),
                        Importance.LOW, "Base URL of Asana's REST API. The token is sent only over https to "
                                + Destinations.ASANA_HOST + ", or to the hosts the worker's environment variable "
                                + Destinations.ASANA_HOSTS_ENV + " names; a connector config cannot widen that.",
                        GROUP_ASANA, 20, Width.LONG, "API base URL")
                .define(ASANA_RATE_LIMIT, Type.INT, 1500, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "Requests the token may make per minute: 1500 on paid plans, 150 on free ones. Every "
                                + "connector in the worker that uses the same token shares this budget.",
                        GROUP_ASANA, 21, Width.SHORT, "Rate limit")
                .define(ASANA_REQUEST_TIMEOUT, Type.INT, 60_000, ConfigDef.Range.atLeast(1000), Importance.LOW,
                        "Milliseconds an Asana API call may wait for its answer before it counts as failed. A "
                                + "failed read is retried; a create whose answer never came is looked up, not resent.",
                        GROUP_ASANA, 22, Width.SHORT, "Request timeout");
    }
}
