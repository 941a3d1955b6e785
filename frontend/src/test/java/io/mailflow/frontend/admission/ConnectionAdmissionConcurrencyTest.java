package io.mailflow.frontend.admission;

import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.time.ManualClock;
import io.mailflow.frontend.admission.ConnectionAdmission.Admitted;
import io.mailflow.frontend.admission.ConnectionAdmission.Decision;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "A limit of 20 admits 20, never 21" (DESIGN.md) with 32 threads calling at once. No sleeps: the
 * threads meet at barriers, so every round really is 32 simultaneous attempts.
 */
class ConnectionAdmissionConcurrencyTest {

    private static final int THREADS = 32;
    private static final int LIMIT = 20;

    private final ManualClock clock = ManualClock.atEpoch();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void thirtyTwoThreadsHammeringAMaxInboundConnectionOfTwentyNeverHoldMoreThanTwenty() throws Exception {
        AdmissionLimits limits = new AdmissionLimits(Unlimited.of(LIMIT), Unlimited.UNLIMITED, 100, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        ConnectionAdmission admission = new ConnectionAdmission("AppRelay", limits, clock);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        int attemptsPerThread = 5_000;

        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            InetAddress client = ip("192.0.2." + (t + 1));
            workers.add(() -> {
                start.await();
                for (int i = 0; i < attemptsPerThread; i++) {
                    Decision d = admission.tryAdmit(client, Optional.empty());
                    if (d instanceof Admitted a) {
                        // Counted between admit and release, so it can only be lower than the truth.
                        int now = inside.incrementAndGet();
                        mostInside.accumulateAndGet(now, Math::max);
                        admitted.incrementAndGet();
                        inside.decrementAndGet();
                        admission.release(a);
                    }
                }
                return null;
            });
        }
        runAll(workers, start);

        assertTrue(mostInside.get() <= LIMIT, "at most " + LIMIT + " at once, saw " + mostInside.get());
        assertTrue(admitted.get() > 0);
        assertEquals(0, admission.openConnections());
    }

    @Test
    void everySimultaneousRoundOfThirtyTwoAttemptsAdmitsExactlyTwentyUnderMaxInboundConnection() throws Exception {
        AdmissionLimits limits = new AdmissionLimits(Unlimited.of(LIMIT), Unlimited.UNLIMITED, 100, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        exactlyTwentyPerRound(limits, t -> ip("192.0.2." + (t + 1)));
    }

    @Test
    void everySimultaneousRoundFromOneSourceAdmitsExactlyTwentyUnderThePerSourceLimit() throws Exception {
        AdmissionLimits limits = new AdmissionLimits(Unlimited.UNLIMITED, Unlimited.of(LIMIT), 2, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        exactlyTwentyPerRound(limits, t -> ip("203.0.113.7"));
    }

    /**
     * Rounds: all threads try once together, the round's admissions are counted, then all release
     * together. Each round must admit exactly {@link #LIMIT}.
     */
    private void exactlyTwentyPerRound(AdmissionLimits limits, IntFunction<InetAddress> clientOf) throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission("AppRelay", limits, clock);
        int rounds = 300;
        AtomicInteger admittedThisRound = new AtomicInteger();
        List<Integer> perRound = new ArrayList<>();
        // The barrier action runs once per round, after everyone tried and before anyone releases.
        CyclicBarrier tried = new CyclicBarrier(THREADS, () -> {
            perRound.add(admittedThisRound.getAndSet(0));
        });
        CyclicBarrier released = new CyclicBarrier(THREADS);
        CountDownLatch start = new CountDownLatch(1);

        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            InetAddress client = clientOf.apply(t);
            workers.add(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    Decision d = admission.tryAdmit(client, Optional.empty());
                    if (d instanceof Admitted) {
                        admittedThisRound.incrementAndGet();
                    }
                    tried.await(30, TimeUnit.SECONDS);
                    if (d instanceof Admitted a) {
                        admission.release(a);
                        admission.release(a);
                    }
                    released.await(30, TimeUnit.SECONDS);
                }
                return null;
            });
        }
        runAll(workers, start);

        assertEquals(rounds, perRound.size());
        for (int r = 0; r < rounds; r++) {
            assertEquals(LIMIT, perRound.get(r), "round " + r);
        }
        assertEquals(0, admission.openConnections());
    }

    private static void runAll(List<Callable<Void>> workers, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> w : workers) {
                futures.add(pool.submit(w));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
