package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorizer;
import io.mailflow.core.organization.Organization;

import java.util.function.Supplier;

/**
 * The Submission queue's categorizer for the organization as it is now: a configuration change
 * from the shell (New-TransportRule, Set-SendConnector …) makes a new {@link Organization}, and the
 * next message is categorized with a categorizer built for it, as Exchange's categorizer reads the
 * directory and the rules it finds at the time. Only the Submission queue's actor calls it.
 */
public final class LiveCategorizer implements Supplier<Categorizer> {
    private final Supplier<Organization> organization;
    private final String routingServer;
    private Organization builtFor;
    private Categorizer current;

    public LiveCategorizer(Supplier<Organization> organization, String routingServer) {
        this.organization = organization;
        this.routingServer = routingServer;
    }

    @Override
    public Categorizer get() {
        Organization now = organization.get();
        if (now != builtFor) {
            current = new Categorizer(now, routingServer);
            builtFor = now;
        }
        return current;
    }
}
