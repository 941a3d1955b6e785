package io.mailflow.frontend.receive;

/**
 * The SMTP rights a receive session can hold (exchange.md §1.4), under the names Exchange's
 * protocol log prints on its "Set Session Permissions" line, each with its Active Directory
 * extended right.
 */
public enum SmtpPermission {
    SMTPSubmit("Ms-Exch-SMTP-Submit"),
    SMTPAcceptAnyRecipient("Ms-Exch-SMTP-Accept-Any-Recipient"),
    SMTPAcceptAuthenticationFlag("Ms-Exch-SMTP-Accept-Authentication-Flag"),
    SMTPAcceptAnySender("Ms-Exch-SMTP-Accept-Any-Sender"),
    SMTPAcceptAuthoritativeDomainSender("Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender"),
    BypassAntiSpam("Ms-Exch-Bypass-Anti-Spam"),
    BypassMessageSizeLimit("Ms-Exch-Bypass-Message-Size-Limit"),
    SMTPAcceptEXCH50("Ms-Exch-SMTP-Accept-Exch50"),
    AcceptRoutingHeaders("Ms-Exch-Accept-Headers-Routing"),
    AcceptForestHeaders("Ms-Exch-Accept-Headers-Forest"),
    AcceptOrgHeaders("Ms-Exch-Accept-Headers-Organization");

    private final String extendedRight;

    SmtpPermission(String extendedRight) {
        this.extendedRight = extendedRight;
    }

    /** The Active Directory extended right, as Add-ADPermission -ExtendedRights names it. */
    public String extendedRight() {
        return extendedRight;
    }
}
