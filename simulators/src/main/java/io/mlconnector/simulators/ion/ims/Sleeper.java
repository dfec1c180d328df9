package io.mlconnector.simulators.ion.ims;

import java.time.Duration;

/** Waits out a retry backoff. The default is {@link Thread#sleep}; tests pass one that records and returns. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
