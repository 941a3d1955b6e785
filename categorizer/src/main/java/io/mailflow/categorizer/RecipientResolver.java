package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.ExternalRecipient;
import io.mailflow.core.organization.Forwarding;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Recipient;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolver: categorizer stage after OnSubmittedMessage, before the Transport Rule agent and the
 * Router (exchange.md §6.1). Resolves each envelope recipient in the directory by any of its
 * EmailAddresses and rewrites it to the primary SMTP address (RESOLVE; the given address stays as
 * ORCPT), a mail contact or mail user to its ExternalEmailAddress; applies the recipient and
 * sender restrictions ({@link DeliveryRestrictions}); expands distribution groups with nested
 * groups (EXPAND), leaving a group with another ExpansionServer to that server; follows mailbox
 * forwarding (REDIRECT: forward only; deliver and forward keeps the mailbox); delivers each mailbox
 * once however many groups or forwardings name it (DUPLICATEEXPAND).
 *
 * <p>Loops: groups that contain each other expand once each (harmless). A forwarding chain that
 * comes back to a mailbox already on it is harmless when one mailbox on the loop keeps a copy
 * (DeliverToMailboxAndForward): each mailbox is delivered once. When every mailbox on the loop
 * forwards only, no mailbox would ever receive the message: the recipient fails with
 * {@value #FORWARDING_LOOP} (RFC 3463 X.4.6, routing loop detected).
 *
 * <p>Unknown recipients of authoritative domains fail with {@value #NOT_FOUND}; those of
 * InternalRelay, ExternalRelay and other domains are routed out.
 * Reads: EmailAddresses, ExternalEmailAddress, Members, ExpansionServer, ReportToOriginatorEnabled,
 * ForwardingAddress, ForwardingSmtpAddress, DeliverToMailboxAndForward, and the restrictions.
 */
public final class RecipientResolver {
    public static final String NOT_FOUND = "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found";
    public static final String FORWARDING_LOOP = "550 5.4.6 RESOLVER.FWD.Loop; forwarding loop detected";

    private final Organization organization;
    private final String localServer;
    private final DeliveryRestrictions restrictions;
    /**
     * Each group's members as looked up in the directory, once per group rather than once per
     * message (the organization is immutable). By identity: a record's hash walks its member list.
     */
    private final Map<DistributionGroup, List<Member>> members = Collections.synchronizedMap(new IdentityHashMap<>());

    /** A group member as the group names it, and the recipient it names (null when none). */
    private record Member(String identity, Recipient recipient) {
    }

    /** @param localServer the server categorizing (a group with another ExpansionServer is relayed there) */
    public RecipientResolver(Organization organization, String localServer) {
        this.organization = organization;
        this.localServer = localServer;
        this.restrictions = new DeliveryRestrictions(organization);
    }

    /** The outcome for the Ready recipients of one message. */
    public record Resolution(List<ResolvedRecipient> recipients,
                             List<Categorization.Failed> failed,
                             List<Categorization.Step> steps) {
    }

    /** Resolves, restricts and expands {@code recipients} of {@code envelope}. */
    public Resolution resolve(Envelope envelope, List<SmtpAddress> recipients, boolean senderAuthenticated) {
        Run run = new Run(envelope, senderAuthenticated);
        Optional<String> senderRefused = restrictions.checkSender(envelope.sender(), envelope.size(), recipients.size());
        for (SmtpAddress given : recipients) {
            if (senderRefused.isPresent()) {
                run.failed.add(new Categorization.Failed(given, senderRefused.get()));
            } else {
                run.topLevel(given);
            }
        }
        return new Resolution(run.resolved, run.failed, run.steps);
    }

    /**
     * Resolves recipients the organization itself adds (a mail flow rule's redirect or Bcc): looked
     * up and expanded like envelope recipients, without the sender's limits and restrictions, which
     * were the client's to meet.
     */
    public Resolution resolveAdded(Envelope envelope, List<SmtpAddress> recipients) {
        Run run = new Run(envelope, true);
        recipients.forEach(run::topLevel);
        return new Resolution(run.resolved, run.failed, run.steps);
    }

    /**
     * Routes recipients another server of the organization already resolved and expanded: each is
     * looked up only to find its mailbox; nothing is expanded, forwarded or restricted again.
     */
    public Resolution resolvedElsewhere(List<SmtpAddress> recipients) {
        Run run = new Run(null, true);
        for (SmtpAddress address : recipients) {
            Recipient found = organization.findRecipient(address).orElse(null);
            if (found instanceof Mailbox m) {
                run.deliver(m, address, false, null);
            } else if (found instanceof DistributionGroup g && isLocal(g.expansionServer())) {
                // Relayed here because this server is the group's ExpansionServer: expand it now.
                run.expand(g, address, false);
            } else {
                run.external(address, address, false);
            }
        }
        return new Resolution(run.resolved, run.failed, run.steps);
    }

    private List<Member> membersOf(DistributionGroup group) {
        List<Member> found = members.get(group);
        if (found == null) {
            found = group.members().stream()
                .map(id -> new Member(id, organization.findByIdentity(id).orElse(null))).toList();
            members.put(group, found);
        }
        return found;
    }

    private boolean isLocal(Optional<String> expansionServer) {
        return expansionServer.isEmpty() || expansionServer.get().equalsIgnoreCase(localServer);
    }

    /** The state of one resolution: what was delivered already, what failed, the tracking steps. */
    private final class Run {
        final Envelope envelope;
        final boolean authenticated;
        final List<ResolvedRecipient> resolved = new ArrayList<>();
        final List<Categorization.Failed> failed = new ArrayList<>();
        final List<Categorization.Step> steps = new ArrayList<>();
        final Set<String> delivered = new HashSet<>();
        final Set<String> routedOut = new HashSet<>();
        /** Groups expanded for this message (by identity: a record's hash walks its member list). */
        final Set<DistributionGroup> expanded = Collections.newSetFromMap(new IdentityHashMap<>());

        Run(Envelope envelope, boolean authenticated) {
            this.envelope = envelope;
            this.authenticated = authenticated;
        }

        void topLevel(SmtpAddress given) {
            Recipient found = organization.findRecipient(given).orElse(null);
            if (found == null) {
                AcceptedDomain domain = organization.acceptedDomainFor(given.domain()).orElse(null);
                if (domain != null && domain.domainType() == AcceptedDomain.DomainType.Authoritative) {
                    failed.add(new Categorization.Failed(given, NOT_FOUND));
                } else {
                    external(given, given, false);
                }
                return;
            }
            Optional<String> refused = restrictions.checkRecipient(found, envelope.sender(), authenticated,
                envelope.size());
            if (refused.isPresent()) {
                failed.add(new Categorization.Failed(given, refused.get()));
                return;
            }
            SmtpAddress primary = found instanceof ExternalRecipient e ? e.externalEmailAddress()
                : found.primarySmtpAddress();
            if (!primary.key().equals(given.key())) {
                steps.add(new Categorization.Step("RESOLVE", "ROUTING", primary, given,
                    found instanceof ExternalRecipient ? "resolved to ExternalEmailAddress of " + found.name()
                        : "proxy address resolved to primary SMTP address"));
            }
            recipient(found, given, false);
        }

        /** Any directory recipient reached from {@code topLevel}, after restrictions. */
        void recipient(Recipient r, SmtpAddress topLevel, boolean suppress) {
            if (r instanceof Mailbox m) {
                mailbox(m, topLevel, suppress, List.of());
            } else if (r instanceof DistributionGroup g) {
                expand(g, topLevel, suppress);
            } else if (r instanceof ExternalRecipient e) {
                external(e.externalEmailAddress(), topLevel, suppress);
            }
        }

        void external(SmtpAddress address, SmtpAddress topLevel, boolean suppress) {
            if (routedOut.add(address.key())) {
                resolved.add(ResolvedRecipient.external(address, topLevel, suppress));
            }
        }

        /**
         * A mailbox, following its forwarding. {@code chain} holds the mailboxes that forwarded
         * to this one, in order, for loop detection.
         */
        void mailbox(Mailbox m, SmtpAddress topLevel, boolean suppress, List<Mailbox> chain) {
            int loopStart = indexOf(chain, m);
            if (loopStart >= 0) {
                List<Mailbox> loop = chain.subList(loopStart, chain.size());
                if (loop.stream().noneMatch(x -> x.forwarding().deliverToMailboxAndForward())) {
                    failed.add(new Categorization.Failed(topLevel, FORWARDING_LOOP));
                }
                return;
            }
            Forwarding f = m.forwarding();
            if (!f.isForwarding() || f.deliverToMailboxAndForward()) {
                deliver(m, topLevel, suppress, chain.isEmpty() ? null : chain.get(chain.size() - 1));
            }
            if (!f.isForwarding()) {
                return;
            }
            List<Mailbox> next = new ArrayList<>(chain);
            next.add(m);
            Recipient target = f.forwardingAddress().flatMap(organization::findByIdentity)
                .or(() -> f.forwardingSmtpAddress().flatMap(organization::findRecipient)).orElse(null);
            SmtpAddress targetAddress = target != null ? (target instanceof ExternalRecipient e
                ? e.externalEmailAddress() : target.primarySmtpAddress())
                : f.forwardingSmtpAddress().orElse(null);
            if (targetAddress == null) {
                return; // ForwardingAddress names a recipient that no longer exists: deliver as if unset
            }
            steps.add(new Categorization.Step("REDIRECT", "ROUTING", targetAddress, m.primarySmtpAddress(),
                f.deliverToMailboxAndForward() ? "delivered and forwarded" : "forwarded"));
            if (target instanceof Mailbox forwardedTo) {
                mailbox(forwardedTo, topLevel, suppress, next);
            } else if (target != null) {
                recipient(target, topLevel, suppress);
            } else {
                external(targetAddress, topLevel, suppress);
            }
        }

        /**
         * A nested group's own restrictions apply to the sender too (a group inside an open group
         * still refuses whom it refuses); not when another server already checked the sender.
         */
        Optional<String> nestedRefusal(DistributionGroup nested) {
            if (envelope == null || expanded.contains(nested)) {
                return Optional.empty();
            }
            return restrictions.checkRecipient(nested, envelope.sender(), authenticated, envelope.size());
        }

        void deliver(Mailbox m, SmtpAddress topLevel, boolean suppress, Mailbox forwardedBy) {
            SmtpAddress primary = m.primarySmtpAddress();
            if (delivered.add(primary.key())) {
                resolved.add(ResolvedRecipient.mailbox(m, topLevel, suppress));
            } else {
                steps.add(new Categorization.Step("DUPLICATEEXPAND", "ROUTING", primary,
                    forwardedBy == null ? topLevel : forwardedBy.primarySmtpAddress(),
                    "already a recipient of this message"));
            }
        }

        /** Breadth-first over nested groups; each group expands once, so a group loop terminates. */
        void expand(DistributionGroup root, SmtpAddress topLevel, boolean suppress) {
            Deque<DistributionGroup> pending = new ArrayDeque<>();
            pending.add(root);
            while (!pending.isEmpty()) {
                DistributionGroup group = pending.poll();
                if (!expanded.add(group)) {
                    continue;
                }
                if (!isLocal(group.expansionServer())) {
                    steps.add(new Categorization.Step("EXPAND", "ROUTING", group.primarySmtpAddress(), null,
                        "left to its ExpansionServer " + group.expansionServer().get()));
                    resolved.add(ResolvedRecipient.expansionServer(group, topLevel, suppress));
                    continue;
                }
                boolean memberSuppress = suppress || !group.reportToOriginatorEnabled();
                steps.add(new Categorization.Step("EXPAND", "ROUTING", group.primarySmtpAddress(), null,
                    group.members().size() + " members"));
                for (Member member : membersOf(group)) {
                    Recipient r = member.recipient();
                    if (r instanceof DistributionGroup nested) {
                        Optional<String> refused = nestedRefusal(nested);
                        if (refused.isPresent()) {
                            expanded.add(nested); // refused once, whichever groups name it
                            failed.add(new Categorization.Failed(nested.primarySmtpAddress(), refused.get()));
                        } else {
                            pending.add(nested);
                        }
                    } else if (r != null) {
                        SmtpAddress before = r instanceof Mailbox ? r.primarySmtpAddress() : null;
                        if (before != null && delivered.contains(before.key())) {
                            steps.add(new Categorization.Step("DUPLICATEEXPAND", "ROUTING", before,
                                group.primarySmtpAddress(), "already a recipient of this message"));
                        } else {
                            recipient(r, topLevel, memberSuppress);
                        }
                    } else if (member.identity().contains("@")) {
                        SmtpAddress.parse(member.identity(), true).ifPresentOrElse(a -> external(a, topLevel, memberSuppress),
                            () -> failed.add(new Categorization.Failed(group.primarySmtpAddress(), NOT_FOUND)));
                    }
                }
            }
        }
    }

    private static int indexOf(List<Mailbox> chain, Mailbox m) {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i) == m) {
                return i;
            }
        }
        return -1;
    }
}
