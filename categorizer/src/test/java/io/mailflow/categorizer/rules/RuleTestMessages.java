package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Mail flow rule tests: a small organization, messages written with LF and sent as CRLF, envelopes. */
final class RuleTestMessages {
    static final String ORG = """
        Organization { Name = "Test" }
        AcceptedDomains = [
          { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true }
          { Name = "partner", DomainName = "partner.test", DomainType = InternalRelay }
          { Name = "elsewhere", DomainName = "relay.test", DomainType = ExternalRelay }
        ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [
          { Name = "Kate", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test", "smtp:k.smith@contoso.test"] }
          { Name = "Chris", Alias = chris, Database = DB01 }
          { Name = "Lisa", Alias = lisa, Database = DB01 }
          { Name = "Legal", Alias = legal, Database = DB01 }
        ]
        DistributionGroups = [
          { Name = "Sales", Alias = sales, Members = [kate] }
          { Name = "All Staff", Alias = all-staff, Members = [sales, chris] }
        ]
        ReceiveConnectors { DefaultConnectors = false }
        """;

    static final SmtpAddress KATE = SmtpAddress.of("kate@contoso.test");
    static final SmtpAddress CHRIS = SmtpAddress.of("chris@contoso.test");
    static final SmtpAddress LISA = SmtpAddress.of("lisa@contoso.test");
    static final SmtpAddress LEGAL = SmtpAddress.of("legal@contoso.test");
    static final SmtpAddress OUTSIDE = SmtpAddress.of("bob@fabrikam.example");

    private RuleTestMessages() {
    }

    /** The test organization with these TransportRules entries (HOCON inside the brackets). */
    static Organization organization(String rules) {
        return OrganizationLoader.parse(ORG + "TransportRules = [\n" + rules + "\n]\n", "rules.conf");
    }

    /** {@code text} with LF line ends turned into CRLF, as the spool keeps content. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }

    static MessageView message(String text) {
        return new MessageView(crlf(text));
    }

    /** A plain message from {@code from} with {@code subject}. */
    static MessageView simple(String from, String subject) {
        return message("From: " + from + "\nTo: kate@contoso.test\nSubject: " + subject
            + "\nMessage-ID: <1@test>\n\nHello there.\n");
    }

    static Envelope envelope(String mailFrom, SmtpAddress... recipients) {
        return new Envelope(1, "<1@test>", Optional.ofNullable(mailFrom).map(SmtpAddress::of),
            Arrays.stream(recipients).map(EnvelopeRecipient::ready).toList(), Instant.EPOCH, "127.0.0.1", "client",
            "EX01\\Default", "ex01.contoso.test", 100, "", BodyType.SevenBit, false, null);
    }

    static List<SmtpAddress> all() {
        return List.of(KATE, CHRIS, LISA);
    }
}
