package io.mlconnector.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Where a connector may send its secrets. Anyone who may write connector configs can copy a secret's
 * ConfigProvider reference and pair it with another URL, so the URL cannot be trusted to come from the
 * secret's owner: the Asana token goes only over https to an allowed Asana host, the ION credentials only
 * over https to the URLs inside the same {@code .ionapi} document.
 *
 * <p>The exceptions are the worker's to make, never a connector config's: a switch in the config would be
 * open to the same writer. {@value #UNSAFE_TEST_HOSTS_ENV} (or the system property
 * {@value #UNSAFE_TEST_HOSTS_PROPERTY}) lists hosts, optionally {@code host:port}, that may be reached over
 * plain http with any secret; it exists for simulators on a test machine and must never be set on a
 * production worker. {@value #ASANA_HOSTS_ENV} replaces the allowed Asana hosts (default
 * {@value #ASANA_HOST}).
 */
public final class Destinations {

    public static final String UNSAFE_TEST_HOSTS_ENV = "ML_CONNECTOR_UNSAFE_TEST_HOSTS";
    public static final String UNSAFE_TEST_HOSTS_PROPERTY = "ml.connector.unsafe.test.hosts";
    public static final String ASANA_HOSTS_ENV = "ML_CONNECTOR_ASANA_HOSTS";
    public static final String ASANA_HOST = "app.asana.com";

    private final Set<String> unsafeTestHosts;
    private final Set<String> asanaHosts;

    Destinations(String unsafeTestHosts, String asanaHosts) {
        this.unsafeTestHosts = hosts(unsafeTestHosts);
        Set<String> asana = hosts(asanaHosts);
        this.asanaHosts = asana.isEmpty() ? Set.of(ASANA_HOST) : asana;
    }

    /** The worker's rules, read from its environment and system properties at each check. */
    public static Destinations ofWorker() {
        String property = System.getProperty(UNSAFE_TEST_HOSTS_PROPERTY);
        return new Destinations(property != null ? property : System.getenv(UNSAFE_TEST_HOSTS_ENV),
                System.getenv(ASANA_HOSTS_ENV));
    }

    /** Why the Asana token must not go to {@code url}; empty when it may. */
    public Optional<String> asanaProblem(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not an absolute URL");
        }
        if (isUnsafeTestHost(uri)) {
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of("must be an https URL: the Asana token is never sent in the clear");
        }
        if (!asanaHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return Optional.of("names host " + uri.getHost() + ", which is not an Asana host this worker sends "
                    + "tokens to (" + String.join(", ", asanaHosts.stream().sorted().toList()) + "; the worker's "
                    + ASANA_HOSTS_ENV + " sets them)");
        }
        return Optional.empty();
    }

    /** Why ION credentials must not go to {@code url}, one of the URLs of their own {@code .ionapi}; empty when they may. */
    public Optional<String> ionProblem(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not an absolute URL");
        }
        if (isUnsafeTestHost(uri) || "https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        return Optional.of("is " + uri.getScheme() + "://" + uri.getHost() + ": ION credentials go only over https");
    }

    /** For {@code asana.base.url}: refuses a URL the token must not go to, in validate and at every start. */
    public static ConfigDef.Validator asanaBaseUrl() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                ofWorker().asanaProblem((String) value).ifPresent(problem -> {
                    throw new ConfigException(name + " " + problem);
                });
            }

            @Override
            public String toString() {
                return "https://" + ASANA_HOST + "/...";
            }
        };
    }

    /**
     * For {@code ion.credentials}: refuses a document whose URLs ({@code urls} reads them, as the client's own
     * parser does) the credentials must not go to. A document that cannot be read is left to the connector's
     * own checks, which name what is wrong in it.
     */
    public static ConfigDef.Validator ionCredentials(Function<String, Iterable<String>> urls) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                Iterable<String> found;
                try {
                    found = urls.apply(((Password) value).value());
                } catch (RuntimeException unreadable) {
                    return;
                }
                for (String url : found) {
                    ofWorker().ionProblem(url).ifPresent(problem -> {
                        throw new ConfigException(name, "[hidden]", "a URL of the .ionapi document " + problem);
                    });
                }
            }

            @Override
            public String toString() {
                return ".ionapi JSON with https URLs";
            }
        };
    }

    private boolean isUnsafeTestHost(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return unsafeTestHosts.contains(host) || unsafeTestHosts.contains(host + ":" + port);
    }

    private static URI parse(String url) throws URISyntaxException {
        URI uri = new URI(url == null ? "" : url.trim());
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new URISyntaxException(String.valueOf(url), "not absolute");
        }
        return uri;
    }

    private static Set<String> hosts(String list) {
        return list == null ? Set.of() : Arrays.stream(list.split(","))
                .map(String::trim).filter(host -> !host.isEmpty())
                .map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
