package io.mlconnector.simulators.asana;

import java.time.Instant;

/** A bearer token's owner; {@code expiresAt} is null for tokens that live until revoked. */
record Caller(String token, String user, boolean oauth, Instant expiresAt) {
}
