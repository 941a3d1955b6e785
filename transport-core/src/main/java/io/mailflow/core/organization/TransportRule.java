package io.mailflow.core.organization;

import java.util.Objects;

/**
 * Organization model: one mail flow rule (transport rule, Get-TransportRule), evaluated by the
 * categorizer's {@code TransportRuleEngine} after resolution and expansion (OnResolvedMessage).
 * Rules run in Priority order, 0 first; the organization keeps them numbered 0..n-1. HOCON list
 * {@code TransportRules}; parameters, ranges and printed forms in {@link TransportRuleParameters}.
 *
 * @param name                  unique in the organization, at most 64 characters; the identity
 * @param priority              0 is evaluated first
 * @param state                 a Disabled rule is kept but never evaluated
 * @param mode                  Audit and AuditAndNotify log what the rule would do and do nothing
 * @param comments              free text, at most 1024 characters, or null
 * @param senderAddressLocation where the sender conditions look for the sender (Header by default)
 * @param conditions            all must match
 * @param exceptions            the rule does not apply when any matches (Exchange's ExceptIf…)
 * @param actions               what the rule does
 */
public record TransportRule(String name,
                            int priority,
                            State state,
                            Mode mode,
                            String comments,
                            SenderAddressLocation senderAddressLocation,
                            TransportRulePredicates conditions,
                            TransportRulePredicates exceptions,
                            TransportRuleActions actions) {

    public enum State { Enabled, Disabled }

    public enum Mode { Audit, AuditAndNotify, Enforce }

    public enum FromScope { InOrganization, NotInOrganization }

    /**
     * ExternalPartner and ExternalNonPartner are Exchange's; Mailflow has no Domain Security
     * partners, so both mean NotInOrganization.
     */
    public enum ToScope { InOrganization, NotInOrganization, ExternalPartner, ExternalNonPartner }

    public enum DisclaimerLocation { Append, Prepend }

    public enum DisclaimerFallbackAction { Wrap, Ignore, Reject }

    /** Header: From and Sender fields (Exchange's default); Envelope: MAIL FROM; or both. */
    public enum SenderAddressLocation { Header, Envelope, HeaderOrEnvelope }

    public static final State STATE = State.Enabled;
    public static final Mode MODE = Mode.Enforce;
    public static final SenderAddressLocation SENDER_ADDRESS_LOCATION = SenderAddressLocation.Header;

    public TransportRule {
        Objects.requireNonNull(name);
        Objects.requireNonNull(state);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(senderAddressLocation);
        Objects.requireNonNull(conditions);
        Objects.requireNonNull(exceptions);
        Objects.requireNonNull(actions);
    }

    /** New-TransportRule {@code name} before any other parameter: enabled, enforced, no conditions, no actions. */
    public static TransportRule named(String name, int priority) {
        return new TransportRule(name, priority, STATE, MODE, null, SENDER_ADDRESS_LOCATION,
            TransportRulePredicates.NONE, TransportRulePredicates.NONE, TransportRuleActions.NONE);
    }

    public boolean isEnabled() {
        return state == State.Enabled;
    }

    /** True when the rule's actions are taken (Enforce), not only logged (Audit, AuditAndNotify). */
    public boolean enforces() {
        return mode == Mode.Enforce;
    }

    public TransportRule withPriority(int newPriority) {
        return new TransportRule(name, newPriority, state, mode, comments, senderAddressLocation, conditions,
            exceptions, actions);
    }

    public TransportRule withState(State newState) {
        return new TransportRule(name, priority, newState, mode, comments, senderAddressLocation, conditions,
            exceptions, actions);
    }

    /** A mutable copy, the way Set-TransportRule changes some parameters and keeps the rest. */
    public static final class Builder {
        private String name;
        private int priority;
        private State state;
        private Mode mode;
        private String comments;
        private SenderAddressLocation senderAddressLocation;
        private final TransportRulePredicates.Builder conditions;
        private final TransportRulePredicates.Builder exceptions;
        private final TransportRuleActions.Builder actions;

        private Builder(TransportRule r) {
            name = r.name();
            priority = r.priority();
            state = r.state();
            mode = r.mode();
            comments = r.comments();
            senderAddressLocation = r.senderAddressLocation();
            conditions = TransportRulePredicates.Builder.from(r.conditions());
            exceptions = TransportRulePredicates.Builder.from(r.exceptions());
            actions = TransportRuleActions.Builder.from(r.actions());
        }

        public static Builder from(TransportRule rule) {
            return new Builder(rule);
        }

        public TransportRule build() {
            return new TransportRule(name, priority, state, mode, comments, senderAddressLocation, conditions.build(),
                exceptions.build(), actions.build());
        }

        public Builder name(String v) { name = v; return this; }
        public Builder priority(int v) { priority = v; return this; }
        public Builder state(State v) { state = v; return this; }
        public Builder mode(Mode v) { mode = v; return this; }
        public Builder comments(String v) { comments = v; return this; }
        public Builder senderAddressLocation(SenderAddressLocation v) { senderAddressLocation = v; return this; }

        public TransportRulePredicates.Builder conditions() { return conditions; }
        public TransportRulePredicates.Builder exceptions() { return exceptions; }
        public TransportRuleActions.Builder actions() { return actions; }
    }
}
