package io.mailflow.bench;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The organization and the messages of {@link CategorizerBenchmark} and {@link DirectoryLoadBenchmark}:
 * HOCON text for OrganizationLoader, generated the same way every time, and envelopes drawn from
 * a fixed-seed random.
 *
 * <p>Topology: two AD sites joined by one site link (Seattle with EX01 and EX02, Dublin with EX03
 * and EX04, DAG1 = EX03 + EX04), twelve databases (DB01-DB04 on EX01, DB05-DB08 on EX02, DB09-DB10
 * on EX04, DB11-DB12 in DAG1). The categorizer runs on EX01, so a mailbox is routed to a local
 * database queue, to the Dublin delivery group or to DAG1.
 *
 * <p>Directory: {@value #MAILBOXES} mailboxes {@code uNNNNNN} over the twelve databases, each with a
 * primary address in contoso.test and a proxy address {@code user.NNNNNN@contoso-old.test}; every
 * {@value #FORWARDING_EVERY}th mailbox forwards (alternately to the next mailbox, delivering and
 * forwarding, and forward-only to {@code home.example}); {@value #CONTACTS} mail contacts at
 * fabrikam.example, every other one with an address in contoso.test too; 200 team groups of 25
 * mailboxes, nested in 20 department groups; and group {@code big5000}, 4,000 mailboxes named directly
 * and 4 department groups (1,000 mailboxes), 5,000 distinct mailboxes in all.
 *
 * <p>Send connectors: {@code To Internet} (*, smart host, source servers EX01 and EX02) and
 * {@code To Fabrikam} (fabrikam.example, source server EX03 in Dublin: relayed there).
 */
final class GeneratedOrganization {
    static final int MAILBOXES = 100_000;
    static final int CONTACTS = 300;
    static final int FORWARDING_EVERY = 250;
    static final int DATABASES = 12;
    static final int TEAMS = 200;
    static final int TEAM_SIZE = 25;
    static final int TEAMS_PER_DEPARTMENT = 10;
    /** Team mailboxes are the last TEAMS × TEAM_SIZE: u095001 to u100000. */
    static final int FIRST_TEAM_MAILBOX = MAILBOXES - TEAMS * TEAM_SIZE + 1;
    static final int BIG_GROUP_DIRECT = 4_000;
    static final int BIG_GROUP_DEPARTMENTS = 4;
    static final String ROUTING_SERVER = "EX01";
    static final String BIG_GROUP = "big5000@contoso.test";
    static final String SENDER = "u000002@contoso.test";
    static final long SEED = 42;

    private GeneratedOrganization() {
    }

    static String alias(int mailbox) {
        return String.format("u%06d", mailbox);
    }

    /** The organization file: about 20 MB of HOCON. */
    static String hocon() {
        StringBuilder b = new StringBuilder(24 << 20);
        b.append("""
            Organization { Name = "Contoso (100,000 mailboxes, generated)" }
            AcceptedDomains = [
              { DomainName = "contoso.test", DomainType = Authoritative, Default = true }
              { DomainName = "contoso-old.test", DomainType = Authoritative }
            ]
            AdSites = [ { Name = Seattle }, { Name = Dublin } ]
            AdSiteLinks = [ { Name = "SEA-DUB", Sites = [Seattle, Dublin], Cost = 10 } ]
            Servers = [
              { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }
              { Name = EX02, Fqdn = "ex02.contoso.test", Site = Seattle }
              { Name = EX03, Fqdn = "ex03.contoso.test", Site = Dublin }
              { Name = EX04, Fqdn = "ex04.contoso.test", Site = Dublin }
            ]
            DatabaseAvailabilityGroups = [ { Name = DAG1, Servers = [EX03, EX04] } ]
            MailboxDatabases = [
            """);
        for (int d = 1; d <= DATABASES; d++) {
            String where = d <= 4 ? "Server = EX01" : d <= 8 ? "Server = EX02" : d <= 10 ? "Server = EX04"
                : "MasterServerOrAvailabilityGroup = DAG1";
            b.append(String.format("  { Name = DB%02d, %s }%n", d, where));
        }
        b.append("]\nMailboxes = [\n");
        for (int i = 1; i <= MAILBOXES; i++) {
            String a = alias(i);
            b.append(String.format("  { Name = \"User %06d\", Alias = %s, Database = DB%02d, "
                + "EmailAddresses = [\"SMTP:%s@contoso.test\", \"smtp:user.%06d@contoso-old.test\"]", i, a,
                1 + i % DATABASES, a, i));
            if (i % FORWARDING_EVERY == 0) {
                if ((i / FORWARDING_EVERY) % 2 == 1) {
                    b.append(", ForwardingAddress = ").append(alias(i + 1)).append(", DeliverToMailboxAndForward = true");
                } else {
                    b.append(", ForwardingSmtpAddress = \"smtp:").append(a).append("@home.example\"");
                }
            }
            b.append(" }\n");
        }
        b.append("]\nMailContacts = [\n");
        for (int c = 1; c <= CONTACTS; c++) {
            b.append(String.format("  { Name = \"Contact %03d\", Alias = c%03d, ExternalEmailAddress = \"SMTP:c%03d@fabrikam.example\"",
                c, c, c));
            if (c % 2 == 0) {
                b.append(String.format(", EmailAddresses = [\"SMTP:c%03d@contoso.test\"]", c));
            }
            b.append(" }\n");
        }
        b.append("]\nDistributionGroups = [\n");
        for (int t = 0; t < TEAMS; t++) {
            b.append(String.format("  { Name = \"Team %03d\", Alias = team%03d, Members = [", t + 1, t + 1));
            for (int m = 0; m < TEAM_SIZE; m++) {
                b.append(m == 0 ? "" : ", ").append(alias(FIRST_TEAM_MAILBOX + t * TEAM_SIZE + m));
            }
            b.append("] }\n");
        }
        for (int d = 0; d < TEAMS / TEAMS_PER_DEPARTMENT; d++) {
            b.append(String.format("  { Name = \"Department %02d\", Alias = dept%02d, Members = [", d + 1, d + 1));
            for (int t = 0; t < TEAMS_PER_DEPARTMENT; t++) {
                b.append(t == 0 ? "" : ", ").append(String.format("team%03d", d * TEAMS_PER_DEPARTMENT + t + 1));
            }
            b.append("] }\n");
        }
        // Direct members u000001, u000024, u000047 … u091978 (every database, as 23 and 12 are coprime;
        // none of them in a team), then the departments.
        b.append("  { Name = \"Big 5000\", Alias = big5000, RequireSenderAuthenticationEnabled = false, Members = [");
        for (int k = 0; k < BIG_GROUP_DIRECT; k++) {
            b.append(k == 0 ? "" : ", ").append(alias(1 + 23 * k));
        }
        for (int d = 1; d <= BIG_GROUP_DEPARTMENTS; d++) {
            b.append(String.format(", dept%02d", d));
        }
        b.append("] }\n]\n");
        b.append("""
            SendConnectors = [
              { Name = "To Internet", AddressSpaces = ["SMTP:*;1"], SmartHosts = ["[192.0.2.25]"],
                DNSRoutingEnabled = false, SourceTransportServers = [EX01, EX02] }
              { Name = "To Fabrikam", AddressSpaces = ["SMTP:fabrikam.example;1"], SourceTransportServers = [EX03] }
            ]
            ReceiveConnectors { DefaultConnectors = false }
            """);
        return b.toString();
    }

    /**
     * {@code count} messages of the given shape from the seed: {@code "group5000"} is one recipient,
     * {@link #BIG_GROUP}; a number is that many distinct recipients per message, each a mailbox's
     * primary address (60 %), its proxy address (30 %), a mail contact (5 %) or an address at one of
     * twenty external domains (5 %).
     */
    static List<Envelope> messages(String shape, int count) {
        Random random = new Random(SEED);
        List<Envelope> messages = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            List<String> recipients = shape.equals("group5000") ? List.of(BIG_GROUP)
                : recipients(random, Integer.parseInt(shape));
            messages.add(envelope(n + 1, recipients));
        }
        return messages;
    }

    private static List<String> recipients(Random random, int count) {
        Set<String> chosen = new HashSet<>();
        List<String> recipients = new ArrayList<>(count);
        while (recipients.size() < count) {
            int kind = random.nextInt(100);
            String address;
            if (kind < 60) {
                address = alias(1 + random.nextInt(MAILBOXES)) + "@contoso.test";
            } else if (kind < 90) {
                address = String.format("user.%06d@contoso-old.test", 1 + random.nextInt(MAILBOXES));
            } else if (kind < 95) {
                int c = 1 + random.nextInt(CONTACTS);
                address = String.format(c % 2 == 0 ? "c%03d@contoso.test" : "c%03d@fabrikam.example", c);
            } else {
                address = String.format("x%06d@partner%02d.example", random.nextInt(1_000_000), random.nextInt(20));
            }
            // The same mailbox by its primary and its proxy address counts once too.
            String identity = address.startsWith("user.") ? "u" + address.substring(5, 11) : address.split("@")[0];
            if (chosen.add(identity)) {
                recipients.add(address);
            }
        }
        return recipients;
    }

    private static Envelope envelope(long id, List<String> recipients) {
        return new Envelope(id, "<bench-" + id + "@ex01.contoso.test>", Optional.of(SmtpAddress.of(SENDER)),
            recipients.stream().map(r -> EnvelopeRecipient.ready(SmtpAddress.of(r))).toList(),
            Instant.parse("2026-11-22T13:00:00Z"), "192.0.2.10", "client.contoso.test", "EX01\\Client Proxy EX01",
            "ex01.contoso.test", 10_240, "benchmark", BodyType.SevenBit, false, null);
    }
}
