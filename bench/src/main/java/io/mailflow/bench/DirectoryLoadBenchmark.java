package io.mailflow.bench;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark of the relay's start: {@link OrganizationLoader#parse} of the generated
 * 100,000-mailbox organization file ({@link GeneratedOrganization}, about 20 MB of HOCON): HOCON
 * parsing, every check the loader makes, and the Directory's address indexes. Single shot: one
 * load is one measurement. With {@code -wi 0 -i 1 -f N} each fork measures a cold JVM's first
 * load, as the relay does it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class DirectoryLoadBenchmark {
    private String hocon;

    @Setup
    public void setup() {
        hocon = GeneratedOrganization.hocon();
        System.out.printf("%n[directory] %,d bytes of HOCON%n", hocon.getBytes(StandardCharsets.UTF_8).length);
    }

    @Benchmark
    public Organization parse() {
        return OrganizationLoader.parse(hocon, "generated-100k.conf");
    }
}
