package io.mlconnector.asana.webhook;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The target URL Asana is given when registering: the configured {@code webhook.target.url} plus a query
 * parameter {@value #PARAMETER} holding the registration's one-time token, so that the endpoint can tell
 * Asana's handshake from anyone else's. Asana keeps the URL with its token; comparisons of a registered
 * webhook's target with the configured one leave the parameter out.
 */
final class RegistrationTarget {

    static final String PARAMETER = "registration";

    private RegistrationTarget() {
    }

    static String withToken(String target, String token) {
        int hash = target.indexOf('#');
        String url = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? "" : target.substring(hash);
        String separator = !url.contains("?") ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&";
        return url + separator + PARAMETER + "=" + token + fragment;
    }

    /** Whether a webhook registered at {@code registered} is the one for {@code configured}, whatever its token. */
    static boolean sameTarget(String registered, String configured) {
        return registered != null && withoutToken(registered).equals(withoutToken(configured));
    }

    static String withoutToken(String target) {
        int hash = target.indexOf('#');
        String url = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? "" : target.substring(hash);
        int question = url.indexOf('?');
        if (question < 0) {
            return target;
        }
        String kept = Arrays.stream(url.substring(question + 1).split("&"))
                .filter(pair -> !pair.isEmpty() && !pair.equals(PARAMETER) && !pair.startsWith(PARAMETER + "="))
                .collect(Collectors.joining("&"));
        return url.substring(0, question) + (kept.isEmpty() ? "" : "?" + kept) + fragment;
    }
}
