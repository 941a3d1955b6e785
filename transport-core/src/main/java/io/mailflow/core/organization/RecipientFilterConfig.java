package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.List;

/**
 * Organization model: the organization's recipient filtering (Get-/Set-RecipientFilterConfig),
 * read by the Recipient Filter agent at RCPT TO. HOCON section {@code RecipientFilterConfig};
 * parameters, ranges and printed forms in {@link RecipientFilterConfigParameters}.
 *
 * <p>Defaults are all off, with no blocked recipients: Exchange installs its anti-spam agents,
 * the Recipient Filter agent among them, only on Edge Transport servers; on a Mailbox server they
 * do nothing until an administrator runs {@code Install-AntiSpamAgents.ps1} and enables them.
 * Mailflow models a Mailbox server, so recipient filtering starts disabled.
 *
 * @param enabled                    the Recipient Filter agent acts at all
 * @param recipientValidationEnabled reject recipients that are not in the directory
 * @param blockListEnabled           reject the recipients of {@code blockedRecipients}
 * @param blockedRecipients          SMTP addresses refused at RCPT TO, as written
 */
public record RecipientFilterConfig(boolean enabled,
                                    boolean recipientValidationEnabled,
                                    boolean blockListEnabled,
                                    List<String> blockedRecipients) {

    public static final boolean ENABLED = false;
    public static final boolean RECIPIENT_VALIDATION_ENABLED = false;
    public static final boolean BLOCK_LIST_ENABLED = false;
    public static final List<String> BLOCKED_RECIPIENTS = List.of();

    /** A Mailbox server's configuration before any Set-RecipientFilterConfig. */
    public static final RecipientFilterConfig DEFAULT = new RecipientFilterConfig(ENABLED,
        RECIPIENT_VALIDATION_ENABLED, BLOCK_LIST_ENABLED, BLOCKED_RECIPIENTS);

    public RecipientFilterConfig {
        blockedRecipients = List.copyOf(blockedRecipients);
    }

    /** True when the block list is in force and names {@code recipient} (case-insensitively). */
    public boolean blocks(SmtpAddress recipient) {
        return enabled && blockListEnabled
            && blockedRecipients.stream().anyMatch(b -> b.equalsIgnoreCase(recipient.key()));
    }

    /** True when recipients unknown to the directory are to be refused. */
    public boolean validatesRecipients() {
        return enabled && recipientValidationEnabled;
    }

    /** A mutable copy, as Set-RecipientFilterConfig changes some parameters and keeps the rest. */
    public static final class Builder {
        private boolean enabled;
        private boolean recipientValidationEnabled;
        private boolean blockListEnabled;
        private List<String> blockedRecipients;

        private Builder(RecipientFilterConfig c) {
            enabled = c.enabled();
            recipientValidationEnabled = c.recipientValidationEnabled();
            blockListEnabled = c.blockListEnabled();
            blockedRecipients = c.blockedRecipients();
        }

        public static Builder from(RecipientFilterConfig config) {
            return new Builder(config);
        }

        public RecipientFilterConfig build() {
            return new RecipientFilterConfig(enabled, recipientValidationEnabled, blockListEnabled, blockedRecipients);
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder recipientValidationEnabled(boolean v) { recipientValidationEnabled = v; return this; }
        public Builder blockListEnabled(boolean v) { blockListEnabled = v; return this; }
        public Builder blockedRecipients(List<String> v) { blockedRecipients = List.copyOf(v); return this; }
    }
}
