package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.organization.Organization;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the configuration cmdlets read and change: Exchange's Active Directory, for Mailflow the
 * organization a server runs. The running relay changes it live; at start the same cmdlets
 * replay the configuration journal onto the organization read from its file.
 */
public interface OrganizationStore {
    Organization organization();

    /** The server the shell administers by default (Exchange's local server). */
    String serverName();

    /** Applies a change; returns what could not take effect (a binding already in use, say). */
    List<String> change(UnaryOperator<Organization> change);

    /** A store that only holds an organization: journal replay before the relay starts. */
    static OrganizationStore inMemory(Organization start, String serverName) {
        return new OrganizationStore() {
            private Organization current = start;

            @Override
            public synchronized Organization organization() {
                return current;
            }

            @Override
            public String serverName() {
                return serverName;
            }

            @Override
            public synchronized List<String> change(UnaryOperator<Organization> change) {
                current = change.apply(current);
                return List.of();
            }
        };
    }
}
