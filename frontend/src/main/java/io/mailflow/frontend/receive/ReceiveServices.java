package io.mailflow.frontend.receive;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.time.Clock;
import io.mailflow.frontend.admission.AdmissionRegistry;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every receive connector of a server shares: the live organization, the Transport
 * service's intake, the logs, admission state and back pressure. One per server, handed to each
 * listener.
 */
public record ReceiveServices(Supplier<Organization> organization,
                              MessageSink sink,
                              SessionLogFactory sessionLogs,
                              Consumer<TransportEvent> events,
                              AdmissionRegistry admissions,
                              BackPressure backPressure,
                              Clock clock) {

    /** The Recipient Filter agent as the organization configures it (Set-RecipientFilterConfig). */
    public RecipientFilter recipientFilter(Organization org) {
        var config = org.recipientFilterConfig();
        return new RecipientFilter(config.enabled(), config.recipientValidationEnabled(), config.blockListEnabled(),
            config.blockedRecipients(), org);
    }
}
