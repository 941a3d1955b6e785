package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Recipient;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolver: categorizer stage after OnSubmittedMessage, before Router (exchange.md §6.1).
 * Looks each envelope recipient up in the directory by any of its EmailAddresses, rewrites it to
 * the primary SMTP address (RESOLVE), expands distribution groups with nested groups (EXPAND),
 * delivers each mailbox once however many groups name it, and fails unknown recipients of
 * authoritative domains with {@code 550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found}.
 */
public final class RecipientResolver {
    public static final String NOT_FOUND = "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found";

    private final Organization organization;

    public RecipientResolver(Organization organization) {
        this.organization = organization;
    }

    /** The outcome for a list of envelope recipients. */
    public record Resolution(Map<SmtpAddress, Mailbox> mailboxes,
                             List<SmtpAddress> external,
                             List<Categorization.Failed> failed,
                             List<Categorization.Step> steps) {
    }

    public Resolution resolve(List<SmtpAddress> recipients) {
        Map<SmtpAddress, Mailbox> mailboxes = new LinkedHashMap<>();
        Set<String> seenMailboxes = new HashSet<>();
        List<SmtpAddress> external = new ArrayList<>();
        List<Categorization.Failed> failed = new ArrayList<>();
        List<Categorization.Step> steps = new ArrayList<>();
        for (SmtpAddress original : recipients) {
            Recipient found = organization.findRecipient(original).orElse(null);
            if (found == null) {
                AcceptedDomain domain = organization.acceptedDomainFor(original.domain()).orElse(null);
                if (domain != null && domain.domainType() == AcceptedDomain.DomainType.Authoritative) {
                    failed.add(new Categorization.Failed(original, NOT_FOUND));
                } else {
                    external.add(original);
                }
                continue;
            }
            SmtpAddress primary = found.primarySmtpAddress();
            if (!primary.key().equals(original.key())) {
                steps.add(new Categorization.Step("RESOLVE", "ROUTING", primary, original,
                    "proxy address resolved to primary SMTP address"));
            }
            if (found instanceof Mailbox mailbox) {
                if (seenMailboxes.add(primary.key())) {
                    mailboxes.put(primary, mailbox);
                }
            } else if (found instanceof DistributionGroup group) {
                expand(group, mailboxes, seenMailboxes, external, failed, steps);
            }
        }
        return new Resolution(mailboxes, external, failed, steps);
    }

    /** Breadth-first over nested groups; each group expands once, so a group loop terminates. */
    private void expand(DistributionGroup root, Map<SmtpAddress, Mailbox> mailboxes, Set<String> seenMailboxes,
                        List<SmtpAddress> external, List<Categorization.Failed> failed,
                        List<Categorization.Step> steps) {
        Deque<DistributionGroup> pending = new ArrayDeque<>();
        Set<String> expandedGroups = new HashSet<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            DistributionGroup group = pending.poll();
            if (!expandedGroups.add(group.primarySmtpAddress().key())) {
                continue;
            }
            steps.add(new Categorization.Step("EXPAND", "ROUTING", group.primarySmtpAddress(), null,
                group.members().size() + " members"));
            for (String member : group.members()) {
                Recipient r = organization.findByIdentity(member).orElse(null);
                if (r instanceof Mailbox mailbox) {
                    SmtpAddress primary = mailbox.primarySmtpAddress();
                    if (seenMailboxes.add(primary.key())) {
                        mailboxes.put(primary, mailbox);
                    } else {
                        steps.add(new Categorization.Step("DUPLICATEEXPAND", "ROUTING", primary,
                            group.primarySmtpAddress(), "already a recipient of this message"));
                    }
                } else if (r instanceof DistributionGroup nested) {
                    pending.add(nested);
                } else if (member.contains("@")) {
                    SmtpAddress.parse(member, true).ifPresentOrElse(external::add,
                        () -> failed.add(new Categorization.Failed(group.primarySmtpAddress(), NOT_FOUND)));
                }
            }
        }
    }
}
