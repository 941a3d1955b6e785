package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.Mailbox;

/**
 * One recipient as the resolver leaves it for the router: a mailbox of the organization, an
 * address outside it (a mail contact's or mail user's ExternalEmailAddress, a forwarding address,
 * a domain the organization does not host), or a distribution group that only its ExpansionServer
 * may expand.
 *
 * @param address         the address the message goes to (a primary SMTP address, or external)
 * @param mailbox         the mailbox, for {@link Kind#MAILBOX}
 * @param group           the group to relay to its expansion server, for {@link Kind#EXPANSION_SERVER}
 * @param topLevel        the envelope recipient it was resolved from (the address the client gave)
 * @param suppressReports a group with ReportToOriginatorEnabled false brought it: no delivery reports (NOTIFY=NEVER)
 */
public record ResolvedRecipient(SmtpAddress address, Kind kind, Mailbox mailbox, DistributionGroup group,
                                SmtpAddress topLevel, boolean suppressReports) {

    public enum Kind { MAILBOX, EXTERNAL, EXPANSION_SERVER }

    static ResolvedRecipient mailbox(Mailbox mailbox, SmtpAddress topLevel, boolean suppressReports) {
        return new ResolvedRecipient(mailbox.primarySmtpAddress(), Kind.MAILBOX, mailbox, null, topLevel,
            suppressReports);
    }

    static ResolvedRecipient external(SmtpAddress address, SmtpAddress topLevel, boolean suppressReports) {
        return new ResolvedRecipient(address, Kind.EXTERNAL, null, null, topLevel, suppressReports);
    }

    static ResolvedRecipient expansionServer(DistributionGroup group, SmtpAddress topLevel, boolean suppressReports) {
        return new ResolvedRecipient(group.primarySmtpAddress(), Kind.EXPANSION_SERVER, null, group, topLevel,
            suppressReports);
    }
}
