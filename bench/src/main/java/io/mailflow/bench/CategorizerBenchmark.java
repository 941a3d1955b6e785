package io.mailflow.bench;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.Categorizer;
import io.mailflow.categorizer.Submission;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark of the categorizer stage: {@link Categorizer#categorize(Envelope, Submission)} on EX01
 * of a generated 100,000-mailbox organization ({@link GeneratedOrganization}, loaded by
 * OrganizationLoader), one thread, so ops/s is messages/s. Shapes: messages of 1, 10 and 500
 * recipients (primary and proxy addresses, mail contacts, external domains; 1,024 different
 * messages per shape, taken in turn) and {@code group5000}, one recipient that expands to 5,000
 * mailboxes through nested groups. Setup checks that every message categorizes without a failed
 * recipient and prints the recipients, next hops and tracking steps per message of the shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CategorizerBenchmark {
    private static final int MESSAGES = 1024;

    @Param({"1", "10", "500", "group5000"})
    public String shape;

    private Categorizer categorizer;
    private Envelope[] messages;
    private int next;

    @Setup
    public void setup() {
        Organization organization = OrganizationLoader.parse(GeneratedOrganization.hocon(), "generated-100k.conf");
        categorizer = new Categorizer(organization, GeneratedOrganization.ROUTING_SERVER);
        List<Envelope> drawn = GeneratedOrganization.messages(shape, shape.equals("group5000") ? 1 : MESSAGES);
        messages = drawn.toArray(new Envelope[0]);
        long given = 0;
        long routed = 0;
        long hops = 0;
        long steps = 0;
        for (Envelope e : messages) {
            Categorization c = categorizer.categorize(e, Submission.AUTHENTICATED);
            if (!c.failed().isEmpty()) {
                throw new IllegalStateException("message " + e.internalId() + " failed recipients: " + c.failed());
            }
            given += e.recipients().size();
            routed += c.routes().values().stream().mapToLong(List::size).sum();
            hops += c.routes().size();
            steps += c.steps().size();
        }
        double n = messages.length;
        System.out.printf("%n[shape %s] %d mailboxes; per message: %.1f envelope recipients, %.1f routed recipients, "
                + "%.1f next hops, %.1f tracking steps%n", shape, organization.mailboxes().size(), given / n,
            routed / n, hops / n, steps / n);
    }

    @Benchmark
    public Categorization categorize() {
        Envelope e = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return categorizer.categorize(e, Submission.AUTHENTICATED);
    }
}
