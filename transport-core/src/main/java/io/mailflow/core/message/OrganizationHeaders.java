package io.mailflow.core.message;

import java.util.List;
import java.util.Locale;

/**
 * Organization headers: what one Exchange server of the organization tells the next inside the
 * message itself (exchange.md §1.4). Receive connectors keep them only from sessions that hold
 * Ms-Exch-Accept-Headers-Organization (the ExchangeServers permission group) and strip them from
 * every other session ({@link HeaderFirewall}), so nobody outside the organization can forge them.
 * The Transport service's intake stamps {@link #AUTH_AS}; the relay agents stamp
 * {@link #CATEGORIZED_BY}; the categorizer reads both.
 */
public final class OrganizationHeaders {

    /** Exchange's organization header namespace. */
    public static final String EXCHANGE_PREFIX = "X-MS-Exchange-Organization-";
    /** Mailflow's own organization headers, guarded by the same header firewall. */
    public static final String MAILFLOW_PREFIX = "X-Mailflow-Organization-";

    /**
     * How the organization's first server authenticated the submitter (Exchange's header):
     * {@value #AUTH_AS_INTERNAL} from the organization's own servers, {@value #AUTH_AS_ANONYMOUS}
     * from anyone else. The categorizer reads it for RequireSenderAuthenticationEnabled.
     */
    public static final String AUTH_AS = "X-MS-Exchange-Organization-AuthAs";
    public static final String AUTH_AS_INTERNAL = "Internal";
    public static final String AUTH_AS_ANONYMOUS = "Anonymous";

    /**
     * The FQDN of the server whose categorizer already resolved and expanded the recipients; a
     * Transport service receiving such a message only routes them (never expands or forwards).
     */
    public static final String CATEGORIZED_BY = "X-Mailflow-Organization-Categorized-By";

    private static final List<String> PREFIXES = List.of(EXCHANGE_PREFIX.toLowerCase(Locale.ROOT),
        MAILFLOW_PREFIX.toLowerCase(Locale.ROOT));

    private OrganizationHeaders() {
    }

    /** True for a field name in either organization namespace, in any case. */
    public static boolean isOrganizationHeader(String fieldName) {
        String name = fieldName.strip().toLowerCase(Locale.ROOT);
        return PREFIXES.stream().anyMatch(name::startsWith);
    }
}
