package io.mlconnector.connect;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The connection settings that several plugins share, defined once so their names and docs agree. */
public final class ConnectionSettings {

    public static final String ION_CREDENTIALS = "ion.credentials";
    public static final String INFOR_BACKEND = "infor.backend";
    public static final String ION_REQUEST_TIMEOUT = "ion.request.timeout.ms";
    public static final String ASANA_TOKEN = "asana.token";
    public static final String ASANA_TOKEN_TYPE = "asana.token.type";
    public static final String ASANA_BASE_URL = "asana.base.url";
    public static final String ASANA_RATE_LIMIT = "asana.rate.limit.per.minute";
    public static final String ASANA_RATE_LIMIT_SHARE = "asana.rate.limit.share.percent";
    public static final String ASANA_RATE_WINDOW = "asana.rate.limit.window.ms";
    /** Set by a connector in each task's config: how many tasks split its share. Not a user setting. */
    public static final String ASANA_RATE_LIMIT_TASKS = "asana.rate.limit.tasks";
    public static final String ASANA_REQUEST_TIMEOUT = "asana.request.timeout.ms";
    public static final String ASANA_OAUTH_REFRESH_TOKEN = "asana.oauth.refresh.token";
    public static final String ASANA_OAUTH_CLIENT_ID = "asana.oauth.client.id";
    public static final String ASANA_OAUTH_CLIENT_SECRET = "asana.oauth.client.secret";
    public static final String ASANA_OAUTH_REDIRECT_URI = "asana.oauth.redirect.uri";
    public static final String ASANA_OAUTH_TOKEN_URL = "asana.oauth.token.url";

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

    /**
     * How a connector authenticates to Asana. For {@code OAUTH}, the refresh token, client id and client secret
     * are always present and {@code accessToken} may be null (the first call refreshes it); for {@code PAT},
     * only {@code accessToken} is. {@code redirectUri} is null when not set.
     */
    public record AsanaGrant(AsanaTokenType type, String accessToken, String refreshToken, String clientId,
            String clientSecret, String redirectUri, String tokenUrl) {

        @Override
        public String toString() {
            return "AsanaGrant{" + type + "}";
        }
    }

    private ConnectionSettings() {
    }

    /**
     * The Asana grant the settings describe, or a {@link SettingException} on the setting that is missing. An OAuth
     * access token alone is refused: it expires after about an hour and the connector would stop with it.
     */
    /**
     * Requests per minute one client of this connector may spend: its part of the budget divided among its tasks
     * (as the connector told each task; tasks.max for a connector's own client, as in validate), at least 1.
     */
    public static int asanaShare(AbstractConfig config) {
        Object tasks = config.originals().getOrDefault(ASANA_RATE_LIMIT_TASKS, config.originals().get("tasks.max"));
        int splitAmong = tasks == null ? 1 : Math.max(1, Integer.parseInt(tasks.toString().trim()));
        long part = (long) config.getInt(ASANA_RATE_LIMIT) * config.getInt(ASANA_RATE_LIMIT_SHARE) / 100;
        return (int) Math.max(1, part / splitAmong);
    }

    public static AsanaGrant asanaGrant(AbstractConfig config) {
        AsanaTokenType type = AsanaTokenType.parse(config.getString(ASANA_TOKEN_TYPE));
        String token = secret(config, ASANA_TOKEN);
        if (type == AsanaTokenType.PAT) {
            if (token == null) {
                throw new SettingException(ASANA_TOKEN, "Missing required configuration \"" + ASANA_TOKEN
                        + "\": the Personal Access Token, as " + ASANA_TOKEN_TYPE + "=PAT");
            }
            return new AsanaGrant(type, token, null, null, null, null, null);
        }
        String refreshToken = secret(config, ASANA_OAUTH_REFRESH_TOKEN);
        if (refreshToken == null) {
            throw new SettingException(ASANA_OAUTH_REFRESH_TOKEN, "OAuth needs the refresh token, because an access "
                    + "token expires after about an hour; obtain one with io.mlconnector.asana.AsanaAuthorizeCommand "
                    + "(docs/asana-oauth.md)");
        }
        for (String required : new String[] {ASANA_OAUTH_CLIENT_ID, ASANA_OAUTH_CLIENT_SECRET}) {
            if (secret(config, required) == null) {
                throw new SettingException(required, "the OAuth app's client id and secret are required to "
                        + "refresh its access token");
            }
        }
        String redirectUri = config.getString(ASANA_OAUTH_REDIRECT_URI);
        return new AsanaGrant(type, token, refreshToken, secret(config, ASANA_OAUTH_CLIENT_ID),
                secret(config, ASANA_OAUTH_CLIENT_SECRET), redirectUri.isBlank() ? null : redirectUri,
                config.getString(ASANA_OAUTH_TOKEN_URL));
    }

    /**
     * The missing part of the Asana grant in a connector config, checked on its own so that validate reports it
     * together with the ConfigDef's errors; empty when the grant is complete or a value is already invalid
     * (the ConfigDef's checks report that).
     */
    public static Optional<SettingException> asanaGrantProblem(Map<String, String> props) {
        try {
            asanaGrant(new AbstractConfig(defineAsana(new ConfigDef()), props, false));
            return Optional.empty();
        } catch (SettingException e) {
            return Optional.of(e);
        } catch (ConfigException invalid) {
            return Optional.empty();
        }
    }

    /** The setting to blame when Asana refuses the credentials: the PAT, or the OAuth refresh token. */
    public static String asanaCredentialSetting(AbstractConfig config) {
        return AsanaTokenType.parse(config.getString(ASANA_TOKEN_TYPE)) == AsanaTokenType.OAUTH
                ? ASANA_OAUTH_REFRESH_TOKEN : ASANA_TOKEN;
    }

    private static String secret(AbstractConfig config, String name) {
        Password value = config.getPassword(name);
        return value == null || value.value().isBlank() ? null : value.value();
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
     * Adds the Asana token, its type, the API base URL, the token's rate limit, the request timeout and the OAuth
     * grant to the Asana group.
     * A connector's own Asana settings take the places from 3 to 19 in the group.
     */
    public static ConfigDef defineAsana(ConfigDef def) {
        return def.define(ASANA_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                        "An Asana Personal Access Token, sent as a Bearer token; required when " + ASANA_TOKEN_TYPE
                                + "=PAT. With OAUTH, leave it unset: the connector obtains access tokens with "
                                + ASANA_OAUTH_REFRESH_TOKEN + ". Supply it through a ConfigProvider, e.g. "
                                + "${env:ASANA_TOKEN}.",
                        GROUP_ASANA, 1, Width.LONG, "Asana token")
                .define(ASANA_TOKEN_TYPE, Type.STRING, "PAT", ConfigDef.CaseInsensitiveValidString.in("PAT", "OAUTH"),
                        Importance.HIGH, "PAT for a Personal Access Token, OAUTH for an OAuth app's grant (refresh token). Only "
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
                                + "connector using the token declares the same budget; "
                                + ASANA_RATE_LIMIT_SHARE + " says how much of it each may spend.",
                        GROUP_ASANA, 21, Width.SHORT, "Rate limit")
                .define(ASANA_RATE_LIMIT_SHARE, Type.INT, 100, ConfigDef.Range.between(1, 100), Importance.MEDIUM,
                        "The part of the token's budget, in percent, that this connector may spend, split evenly "
                                + "among its tasks wherever they run. A worker lets through the shares of the "
                                + "tasks it runs on the token together, at most the whole budget. Where the token "
                                + "is used on more than one worker, give its connectors parts that add up to 100 at "
                                + "most: then no placement of tasks exceeds the budget. At 100 a connector may "
                                + "spend the whole budget, which is safe only while every user of the token runs "
                                + "in one worker.",
                        GROUP_ASANA, 28, Width.SHORT, "Rate limit share")
                .define(ASANA_RATE_WINDOW, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Length of the rate-limit window in milliseconds, over which " + ASANA_RATE_LIMIT
                                + " counts. Asana counts per minute: change it only against a simulator with a "
                                + "shorter window.",
                        GROUP_ASANA, 29, Width.SHORT, "Rate-limit window")
                .define(ASANA_REQUEST_TIMEOUT, Type.INT, 60_000, ConfigDef.Range.atLeast(1000), Importance.LOW,
                        "Milliseconds an Asana API call may wait for its answer before it counts as failed. A "
                                + "failed read is retried; a create whose answer never came is looked up, not resent.",
                        GROUP_ASANA, 22, Width.SHORT, "Request timeout")
                .define(ASANA_OAUTH_REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                        "With " + ASANA_TOKEN_TYPE + "=OAUTH: the OAuth app's refresh token, from which the "
                                + "connector obtains each access token and renews it before it expires. Get it once "
                                + "with io.mlconnector.asana.AsanaAuthorizeCommand (docs/asana-oauth.md); supply it "
                                + "through a ConfigProvider.",
                        GROUP_ASANA, 23, Width.LONG, "OAuth refresh token")
                .define(ASANA_OAUTH_CLIENT_ID, Type.PASSWORD, null, Importance.HIGH,
                        "With OAUTH: the OAuth app's client id, from Asana's developer console.",
                        GROUP_ASANA, 24, Width.MEDIUM, "OAuth client id")
                .define(ASANA_OAUTH_CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
                        "With OAUTH: the OAuth app's client secret; supply it through a ConfigProvider.",
                        GROUP_ASANA, 25, Width.MEDIUM, "OAuth client secret")
                .define(ASANA_OAUTH_REDIRECT_URI, Type.STRING, "", Importance.LOW,
                        "With OAUTH: the redirect URI the refresh token was obtained with; Asana's token "
                                + "endpoint takes it on refresh. Empty sends none.",
                        GROUP_ASANA, 26, Width.LONG, "OAuth redirect URI")
                .define(ASANA_OAUTH_TOKEN_URL, Type.STRING, "https://app.asana.com/-/oauth_token",
                        Destinations.asanaBaseUrl(), Importance.LOW,
                        "Asana's OAuth token endpoint. The client secret and refresh token go only there, under "
                                + "the same host rules as " + ASANA_BASE_URL + ".",
                        GROUP_ASANA, 27, Width.LONG, "OAuth token URL");
    }
}
