package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.TransportRule;
import io.mailflow.core.organization.TransportRulePredicates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Mail flow rules: one rule's conditions or exceptions, compiled once (patterns, lower-cased
 * domains) for {@link TransportRuleEngine}. Message predicates look at the message and its sender
 * and are answered once per message; recipient predicates (SentTo, SentToMemberOf, SentToScope,
 * RecipientDomainIs) are answered per recipient. Exchange's regular expressions ignore case, and
 * so do these.
 */
final class RulePredicates {

    /** What the predicates look at: the message, its sender addresses and the directory. */
    record Subject(MessageView message, List<SmtpAddress> senders, RuleDirectory directory) {
    }

    private final List<Predicate<Subject>> message = new ArrayList<>();
    private final List<BiPredicate<Subject, SmtpAddress>> recipient = new ArrayList<>();

    RulePredicates(TransportRulePredicates p) {
        if (!p.from().isEmpty()) {
            message.add(s -> s.senders().stream().anyMatch(a -> p.from().stream().anyMatch(id -> same(s, a, id))));
        }
        if (!p.fromAddressContainsWords().isEmpty()) {
            message.add(s -> s.senders().stream().anyMatch(a -> Words.containsAny(a.toString(),
                p.fromAddressContainsWords())));
        }
        if (!p.fromMemberOf().isEmpty()) {
            message.add(s -> s.senders().stream().anyMatch(a -> p.fromMemberOf().stream()
                .anyMatch(g -> s.directory().isMemberOf(a, g))));
        }
        if (p.fromScope() != null) {
            boolean inside = p.fromScope() == TransportRule.FromScope.InOrganization;
            message.add(s -> s.senders().stream().anyMatch(a -> s.directory().isInOrganization(a) == inside));
        }
        if (!p.senderDomainIs().isEmpty()) {
            List<String> domains = lower(p.senderDomainIs());
            message.add(s -> s.senders().stream().anyMatch(a -> domains.contains(a.domain())));
        }
        if (!p.subjectContainsWords().isEmpty()) {
            message.add(s -> Words.containsAny(s.message().subject(), p.subjectContainsWords()));
        }
        if (!p.subjectOrBodyContainsWords().isEmpty()) {
            message.add(s -> Words.containsAny(s.message().subject(), p.subjectOrBodyContainsWords())
                || Words.containsAny(s.message().bodyText(), p.subjectOrBodyContainsWords()));
        }
        if (p.headerContainsMessageHeader() != null) {
            message.add(s -> s.message().headerValues(p.headerContainsMessageHeader()).stream()
                .anyMatch(v -> Words.containsAny(v, p.headerContainsWords())));
        }
        if (p.headerMatchesMessageHeader() != null) {
            List<Pattern> patterns = p.headerMatchesPatterns().stream()
                .map(x -> Pattern.compile(x, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)).toList();
            message.add(s -> s.message().headerValues(p.headerMatchesMessageHeader()).stream()
                .anyMatch(v -> patterns.stream().anyMatch(x -> x.matcher(v).find())));
        }
        if (p.messageSizeOver() != null) {
            long size = p.messageSizeOver().bytes();
            message.add(s -> s.message().size() >= size);
        }
        if (p.attachmentSizeOver() != null) {
            long size = p.attachmentSizeOver().bytes();
            message.add(s -> s.message().attachments().stream().anyMatch(a -> a.size() >= size));
        }
        if (!p.sentTo().isEmpty()) {
            recipient.add((s, r) -> p.sentTo().stream().anyMatch(id -> same(s, r, id)));
        }
        if (!p.sentToMemberOf().isEmpty()) {
            recipient.add((s, r) -> p.sentToMemberOf().stream().anyMatch(g -> s.directory().isMemberOf(r, g)));
        }
        if (p.sentToScope() != null) {
            // ExternalPartner and ExternalNonPartner: no Domain Security partners here, so both are outside.
            boolean inside = p.sentToScope() == TransportRule.ToScope.InOrganization;
            recipient.add((s, r) -> s.directory().isInOrganization(r) == inside);
        }
        if (!p.recipientDomainIs().isEmpty()) {
            List<String> domains = lower(p.recipientDomainIs());
            recipient.add((s, r) -> domains.contains(r.domain()));
        }
    }

    boolean isEmpty() {
        return message.isEmpty() && recipient.isEmpty();
    }

    boolean hasRecipientPredicates() {
        return !recipient.isEmpty();
    }

    /** As conditions, the message part: every message predicate matches. */
    boolean allMessage(Subject s) {
        return message.stream().allMatch(x -> x.test(s));
    }

    /** As conditions, the recipient part: every recipient predicate matches {@code r}. */
    boolean allRecipient(Subject s, SmtpAddress r) {
        return recipient.stream().allMatch(x -> x.test(s, r));
    }

    /** As exceptions, the message part: some message predicate matches. */
    boolean anyMessage(Subject s) {
        return message.stream().anyMatch(x -> x.test(s));
    }

    /** As exceptions, the recipient part: some recipient predicate matches {@code r}. */
    boolean anyRecipient(Subject s, SmtpAddress r) {
        return recipient.stream().anyMatch(x -> x.test(s, r));
    }

    /** Whether {@code address} is the recipient {@code identity} names, proxy addresses included. */
    private static boolean same(Subject s, SmtpAddress address, String identity) {
        Optional<SmtpAddress> named = s.directory().primarySmtpAddress(identity)
            .or(() -> SmtpAddress.parse(identity, true));
        if (named.isEmpty()) {
            return false;
        }
        SmtpAddress actual = s.directory().primarySmtpAddress(address.toString()).orElse(address);
        return named.get().key().equals(actual.key());
    }

    private static List<String> lower(List<String> domains) {
        return domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }
}
