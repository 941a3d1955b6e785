package io.mailflow.core.organization;

import java.util.List;

/**
 * A database availability group (Get-DatabaseAvailabilityGroup): its member servers, possibly in
 * several sites. Routing treats it as one delivery group, the routable DAG (exchange.md §6.3).
 */
public record DatabaseAvailabilityGroup(String name, List<String> servers) {
    public DatabaseAvailabilityGroup {
        servers = List.copyOf(servers);
    }

    public boolean hasMember(String server) {
        return servers.stream().anyMatch(s -> s.equalsIgnoreCase(server));
    }
}
