package io.mlconnector.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a Retry-After header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {
    private static final BigDecimal LONGEST = BigDecimal.valueOf(Long.MAX_VALUE - 1);

    private RetryAfter() {
    }

    /**
     * The wait asked for, rounded up to whole seconds for a fractional delay; empty when the header is absent or
     * unreadable. A date in the past reads as no wait.
     */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            // Not the HTTP grammar, but some gateways send "1.5"; waiting a little longer is harmless.
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() < 0) {
                return Optional.empty();
            }
            // Compared before rounding: "1e999999999" must not be expanded into a billion digits.
            return Optional.of(seconds.compareTo(LONGEST) > 0 ? Duration.ofSeconds(Long.MAX_VALUE)
                    : Duration.ofSeconds(seconds.setScale(0, RoundingMode.CEILING).longValueExact()));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
