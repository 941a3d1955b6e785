package io.mailflow.bench;

import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.time.SystemClock;
import io.mailflow.frontend.admission.AdmissionLimits;
import io.mailflow.frontend.admission.ConnectionAdmission;
import io.mailflow.frontend.admission.ConnectionAdmission.Admitted;
import io.mailflow.frontend.admission.ConnectionAdmission.Decision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark of the receive connector's first step: {@link ConnectionAdmission#tryAdmit} then
 * {@link ConnectionAdmission#release}, the work every accepted TCP connection costs, with 1, 2 and
 * 8 threads sharing one connector (seed 001's AppRelay limits, 5000/20/2 %, and a
 * ConnectionRateThrottle of 0 so no attempt is refused). Each thread is its own client IP, except
 * in {@link #oneSource8Threads}, where all eight share one and so one per-source counter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConnectionAdmissionBenchmark {

    private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(1);

    private ConnectionAdmission admission;
    private InetAddress sharedSource;

    /** One client address per benchmark thread. */
    @State(Scope.Thread)
    public static class Client {
        InetAddress ip;

        @Setup
        public void setup() throws UnknownHostException {
            int n = NEXT_CLIENT.getAndIncrement();
            ip = InetAddress.getByAddress(new byte[] {(byte) 198, (byte) 51, (byte) (n / 256), (byte) (n % 256)});
        }
    }

    @Setup
    public void setup() throws UnknownHostException {
        AdmissionLimits appRelay = new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 2, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        admission = new ConnectionAdmission("AppRelay", appRelay, SystemClock.INSTANCE);
        sharedSource = InetAddress.getByName("203.0.113.7");
    }

    @Benchmark
    @Threads(1)
    public Decision admitRelease1Thread(Client client) {
        return admitRelease(client.ip);
    }

    @Benchmark
    @Threads(2)
    public Decision admitRelease2Threads(Client client) {
        return admitRelease(client.ip);
    }

    @Benchmark
    @Threads(8)
    public Decision admitRelease8Threads(Client client) {
        return admitRelease(client.ip);
    }

    @Benchmark
    @Threads(8)
    public Decision oneSource8Threads() {
        return admitRelease(sharedSource);
    }

    private Decision admitRelease(InetAddress ip) {
        Decision d = admission.tryAdmit(ip, Optional.empty());
        if (d instanceof Admitted a) {
            admission.release(a);
        } else {
            throw new IllegalStateException("the benchmark never reaches a limit, yet: " + d);
        }
        return d;
    }
}
