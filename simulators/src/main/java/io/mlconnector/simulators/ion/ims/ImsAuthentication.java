package io.mlconnector.simulators.ion.ims;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How the simulated ION authenticates to the application (reference section 2): OAuth 1.0a with the connection
 * point's consumer key and secret (direct "Infor application (IMS)"), Basic (one of API Gateway's target-endpoint
 * types, [C I17]), or nothing.
 */
public sealed interface ImsAuthentication {

    /** Appended to the secret or password when a request is to carry wrong credentials. */
    String WRONG_SUFFIX = "-wrong";

    /**
     * The {@code Authorization} header value, or {@code null} for none.
     *
     * @param wrong sign with a wrong secret (OAuth) or send a wrong password (Basic)
     */
    String header(String method, URI uri, long timestampSeconds, String nonce, boolean wrong);

    static ImsAuthentication none() {
        return new None();
    }

    static ImsAuthentication basic(String user, String password) {
        return new Basic(user, password);
    }

    /** Two-legged OAuth 1.0a, HMAC-SHA1, {@code realm=""}. */
    static ImsAuthentication oauth1(String consumerKey, String consumerSecret) {
        return new OAuth1(new OAuth1Signer(consumerKey, consumerSecret), consumerSecret);
    }

    static ImsAuthentication oauth1(String consumerKey, String consumerSecret, OAuth1Signer.SignatureMethod method,
                                    String realm) {
        return new OAuth1(new OAuth1Signer(consumerKey, consumerSecret, method, realm), consumerSecret);
    }

    /** No {@code Authorization} header. */
    record None() implements ImsAuthentication {
        @Override
        public String header(String method, URI uri, long timestampSeconds, String nonce, boolean wrong) {
            return null;
        }
    }

    /** {@code Authorization: Basic base64(user:password)}. */
    record Basic(String user, String password) implements ImsAuthentication {
        public Basic {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String header(String method, URI uri, long timestampSeconds, String nonce, boolean wrong) {
            String pair = user + ":" + (wrong ? password + WRONG_SUFFIX : password);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Basic[" + user + "]";
        }
    }

    /** OAuth 1.0a per {@link OAuth1Signer}; each request gets a fresh nonce and the current timestamp. */
    record OAuth1(OAuth1Signer signer, String consumerSecret) implements ImsAuthentication {
        public OAuth1 {
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(consumerSecret, "consumerSecret");
        }

        @Override
        public String header(String method, URI uri, long timestampSeconds, String nonce, boolean wrong) {
            return signer.authorization(method, uri, timestampSeconds, nonce,
                    wrong ? consumerSecret + WRONG_SUFFIX : consumerSecret);
        }

        @Override
        public String toString() {
            return "OAuth1[" + signer.consumerKey() + ", " + signer.method() + "]";
        }
    }
}
