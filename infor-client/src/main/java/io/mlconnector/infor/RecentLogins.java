package io.mlconnector.infor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ION logins (password or client-credentials grants) this JVM made in the trailing minute, per service
 * account, and the admission of new ones. ION locks a service account out after about 20 logins a minute or 1,000
 * a day, and counts attempts with a wrong secret too, so the account here is the token URL, client id and access
 * key, whatever secrets come with them. Every login is counted; only a validation's may be refused.
 */
final class RecentLogins {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final Map<String, Deque<Long>> BY_ACCOUNT = new ConcurrentHashMap<>();

    private RecentLogins() {
    }

    /**
     * Counts a login about to be made for {@code account}, unless {@code limit} logins were made in the trailing
     * minute: then nothing is counted and {@link IonLoginLimitException} says when the oldest of them leaves it.
     */
    static void admit(String account, int limit) {
        forgetQuietAccounts();
        BY_ACCOUNT.compute(account, (key, times) -> {
            long now = System.nanoTime();
            Deque<Long> recent = times != null ? times : new ArrayDeque<>();
            expire(recent, now);
            if (recent.size() >= limit) {
                throw new IonLoginLimitException(recent.size(), Duration.ofNanos(recent.peekFirst() + WINDOW.toNanos() - now));
            }
            recent.addLast(now);
            return recent;
        });
    }

    private static void forgetQuietAccounts() {
        long now = System.nanoTime();
        for (String account : BY_ACCOUNT.keySet()) {
            BY_ACCOUNT.computeIfPresent(account, (key, recent) -> {
                expire(recent, now);
                return recent.isEmpty() ? null : recent;
            });
        }
    }

    private static void expire(Deque<Long> recent, long now) {
        while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW.toNanos()) {
            recent.pollFirst();
        }
    }
}
