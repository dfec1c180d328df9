package io.mlconnector.simulators.ion.ims;

/**
 * What the sender does before delivering (reference 1.2, 6.2): ION calls {@code GET ping}, then {@code GET protocol},
 * and {@code GET versions} if {@code protocol} fails (after which ION would fall back to v1, which this simulator
 * does not speak).
 */
public enum HandshakePolicy {
    /**
     * Default. Ping, protocol (versions if protocol fails); deliver only if ping answered 2xx and protocol answered 2xx
     * with {@code version "v3"} and {@code messageMethod "multipartMessage"}. Otherwise the report is aborted and
     * no message is sent.
     */
    STRICT,
    /** The same calls, recorded in the report, but delivery goes ahead whatever they answered. */
    LENIENT,
    /** No handshake calls. */
    SKIP
}
