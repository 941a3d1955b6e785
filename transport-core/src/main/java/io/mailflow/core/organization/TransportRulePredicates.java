package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;

import java.util.List;

/**
 * Organization model: the conditions of a mail flow rule, or its exceptions (the same predicates
 * under Exchange's {@code ExceptIf} prefix). Every predicate given must match; a multi-valued one
 * matches when any of its values does. Unset predicates are empty lists or null. Read by the
 * categorizer's {@code TransportRuleEngine}; parameters in {@link TransportRuleParameters}.
 *
 * @param from                        sender identities (name, alias or address)
 * @param fromAddressContainsWords    words in the sender's address
 * @param fromMemberOf                groups the sender is a (nested) member of
 * @param fromScope                   the sender inside or outside the organization, or null
 * @param senderDomainIs              the sender's domain (exactly, no subdomains)
 * @param sentTo                      recipient identities; evaluated per recipient
 * @param sentToMemberOf              groups a recipient is a member of; per recipient
 * @param sentToScope                 where a recipient is, or null; per recipient
 * @param recipientDomainIs           a recipient's domain; per recipient
 * @param subjectContainsWords        words in the decoded Subject
 * @param subjectOrBodyContainsWords  words in the Subject or the text of the body
 * @param headerContainsMessageHeader the header field HeaderContainsWords looks in, or null
 * @param headerContainsWords         words in that header field's decoded value
 * @param headerMatchesMessageHeader  the header field HeaderMatchesPatterns looks in, or null
 * @param headerMatchesPatterns       regular expressions over that field's decoded value
 * @param messageSizeOver             messages of this size or more, or null
 * @param attachmentSizeOver          messages with an attachment of this size or more, or null
 */
public record TransportRulePredicates(List<String> from,
                                      List<String> fromAddressContainsWords,
                                      List<String> fromMemberOf,
                                      TransportRule.FromScope fromScope,
                                      List<String> senderDomainIs,
                                      List<String> sentTo,
                                      List<String> sentToMemberOf,
                                      TransportRule.ToScope sentToScope,
                                      List<String> recipientDomainIs,
                                      List<String> subjectContainsWords,
                                      List<String> subjectOrBodyContainsWords,
                                      String headerContainsMessageHeader,
                                      List<String> headerContainsWords,
                                      String headerMatchesMessageHeader,
                                      List<String> headerMatchesPatterns,
                                      ByteSize messageSizeOver,
                                      ByteSize attachmentSizeOver) {

    /** No predicate: as a condition set it matches every message, as an exception set none. */
    public static final TransportRulePredicates NONE = new TransportRulePredicates(List.of(), List.of(), List.of(),
        null, List.of(), List.of(), List.of(), null, List.of(), List.of(), List.of(), null, List.of(), null,
        List.of(), null, null);

    public TransportRulePredicates {
        from = List.copyOf(from);
        fromAddressContainsWords = List.copyOf(fromAddressContainsWords);
        fromMemberOf = List.copyOf(fromMemberOf);
        senderDomainIs = List.copyOf(senderDomainIs);
        sentTo = List.copyOf(sentTo);
        sentToMemberOf = List.copyOf(sentToMemberOf);
        recipientDomainIs = List.copyOf(recipientDomainIs);
        subjectContainsWords = List.copyOf(subjectContainsWords);
        subjectOrBodyContainsWords = List.copyOf(subjectOrBodyContainsWords);
        headerContainsWords = List.copyOf(headerContainsWords);
        headerMatchesPatterns = List.copyOf(headerMatchesPatterns);
    }

    /** True when nothing is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** True when a predicate looks at each recipient on its own (the rule then applies per recipient). */
    public boolean hasRecipientPredicates() {
        return !sentTo.isEmpty() || !sentToMemberOf.isEmpty() || sentToScope != null || !recipientDomainIs.isEmpty();
    }

    /** A mutable copy, as Set-TransportRule changes some predicates and keeps the rest. */
    public static final class Builder {
        private List<String> from;
        private List<String> fromAddressContainsWords;
        private List<String> fromMemberOf;
        private TransportRule.FromScope fromScope;
        private List<String> senderDomainIs;
        private List<String> sentTo;
        private List<String> sentToMemberOf;
        private TransportRule.ToScope sentToScope;
        private List<String> recipientDomainIs;
        private List<String> subjectContainsWords;
        private List<String> subjectOrBodyContainsWords;
        private String headerContainsMessageHeader;
        private List<String> headerContainsWords;
        private String headerMatchesMessageHeader;
        private List<String> headerMatchesPatterns;
        private ByteSize messageSizeOver;
        private ByteSize attachmentSizeOver;

        private Builder(TransportRulePredicates p) {
            from = p.from();
            fromAddressContainsWords = p.fromAddressContainsWords();
            fromMemberOf = p.fromMemberOf();
            fromScope = p.fromScope();
            senderDomainIs = p.senderDomainIs();
            sentTo = p.sentTo();
            sentToMemberOf = p.sentToMemberOf();
            sentToScope = p.sentToScope();
            recipientDomainIs = p.recipientDomainIs();
            subjectContainsWords = p.subjectContainsWords();
            subjectOrBodyContainsWords = p.subjectOrBodyContainsWords();
            headerContainsMessageHeader = p.headerContainsMessageHeader();
            headerContainsWords = p.headerContainsWords();
            headerMatchesMessageHeader = p.headerMatchesMessageHeader();
            headerMatchesPatterns = p.headerMatchesPatterns();
            messageSizeOver = p.messageSizeOver();
            attachmentSizeOver = p.attachmentSizeOver();
        }

        public static Builder from(TransportRulePredicates predicates) {
            return new Builder(predicates);
        }

        public TransportRulePredicates build() {
            return new TransportRulePredicates(from, fromAddressContainsWords, fromMemberOf, fromScope, senderDomainIs,
                sentTo, sentToMemberOf, sentToScope, recipientDomainIs, subjectContainsWords,
                subjectOrBodyContainsWords, headerContainsMessageHeader, headerContainsWords,
                headerMatchesMessageHeader, headerMatchesPatterns, messageSizeOver, attachmentSizeOver);
        }

        public Builder from(List<String> v) { from = List.copyOf(v); return this; }
        public Builder fromAddressContainsWords(List<String> v) { fromAddressContainsWords = List.copyOf(v); return this; }
        public Builder fromMemberOf(List<String> v) { fromMemberOf = List.copyOf(v); return this; }
        public Builder fromScope(TransportRule.FromScope v) { fromScope = v; return this; }
        public Builder senderDomainIs(List<String> v) { senderDomainIs = List.copyOf(v); return this; }
        public Builder sentTo(List<String> v) { sentTo = List.copyOf(v); return this; }
        public Builder sentToMemberOf(List<String> v) { sentToMemberOf = List.copyOf(v); return this; }
        public Builder sentToScope(TransportRule.ToScope v) { sentToScope = v; return this; }
        public Builder recipientDomainIs(List<String> v) { recipientDomainIs = List.copyOf(v); return this; }
        public Builder subjectContainsWords(List<String> v) { subjectContainsWords = List.copyOf(v); return this; }
        public Builder subjectOrBodyContainsWords(List<String> v) { subjectOrBodyContainsWords = List.copyOf(v); return this; }
        public Builder headerContainsMessageHeader(String v) { headerContainsMessageHeader = v; return this; }
        public Builder headerContainsWords(List<String> v) { headerContainsWords = List.copyOf(v); return this; }
        public Builder headerMatchesMessageHeader(String v) { headerMatchesMessageHeader = v; return this; }
        public Builder headerMatchesPatterns(List<String> v) { headerMatchesPatterns = List.copyOf(v); return this; }
        public Builder messageSizeOver(ByteSize v) { messageSizeOver = v; return this; }
        public Builder attachmentSizeOver(ByteSize v) { attachmentSizeOver = v; return this; }
    }
}
