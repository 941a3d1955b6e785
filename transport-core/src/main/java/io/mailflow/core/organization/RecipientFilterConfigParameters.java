package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamTable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Organization model: the parameters of Set-RecipientFilterConfig, declared once, in the order
 * {@code Get-RecipientFilterConfig | fl} prints them. The loader reads the HOCON section
 * {@code RecipientFilterConfig { Enabled = true, BlockedRecipients = ["ceo@contoso.test"] }}
 * through this table; the admin shell sets and prints through it.
 */
public final class RecipientFilterConfigParameters {

    /** Refused at RCPT TO when BlockListEnabled; Exchange prints them {@code {ceo@contoso.test}}. */
    public static final Param<RecipientFilterConfig, RecipientFilterConfig.Builder, List<String>> BLOCKED_RECIPIENTS =
        Param.of("BlockedRecipients", Forms.list(RecipientFilterConfigParameters::address, a -> a, null),
            RecipientFilterConfig.BLOCKED_RECIPIENTS, RecipientFilterConfig::blockedRecipients,
            RecipientFilterConfig.Builder::blockedRecipients);

    public static final Param<RecipientFilterConfig, RecipientFilterConfig.Builder, Boolean> RECIPIENT_VALIDATION_ENABLED =
        Param.of("RecipientValidationEnabled", Forms.bool(), RecipientFilterConfig.RECIPIENT_VALIDATION_ENABLED,
            RecipientFilterConfig::recipientValidationEnabled, RecipientFilterConfig.Builder::recipientValidationEnabled);

    public static final Param<RecipientFilterConfig, RecipientFilterConfig.Builder, Boolean> BLOCK_LIST_ENABLED =
        Param.of("BlockListEnabled", Forms.bool(), RecipientFilterConfig.BLOCK_LIST_ENABLED,
            RecipientFilterConfig::blockListEnabled, RecipientFilterConfig.Builder::blockListEnabled);

    public static final Param<RecipientFilterConfig, RecipientFilterConfig.Builder, Boolean> ENABLED =
        Param.of("Enabled", Forms.bool(), RecipientFilterConfig.ENABLED,
            RecipientFilterConfig::enabled, RecipientFilterConfig.Builder::enabled);

    public static final ParamTable<RecipientFilterConfig, RecipientFilterConfig.Builder> TABLE = new ParamTable<>(
        List.of(BLOCKED_RECIPIENTS, RECIPIENT_VALIDATION_ENABLED, BLOCK_LIST_ENABLED, ENABLED),
        List.of("ExternalMailEnabled", "InternalMailEnabled"),
        RecipientFilterConfig.Builder::from, RecipientFilterConfig.Builder::build, (c, given) -> List.of());

    private RecipientFilterConfigParameters() {
    }

    public static List<Param<RecipientFilterConfig, RecipientFilterConfig.Builder, ?>> all() {
        return TABLE.all();
    }

    public static Optional<Param<RecipientFilterConfig, RecipientFilterConfig.Builder, ?>> byName(String name) {
        return TABLE.byName(name);
    }

    public static Map<String, String> toDisplay(RecipientFilterConfig config) {
        return TABLE.toDisplay(config);
    }

    /** Set-RecipientFilterConfig: every change or none. @throws ParamException with every problem */
    public static RecipientFilterConfig set(RecipientFilterConfig config, Map<String, String> changes) {
        return TABLE.set(config, changes);
    }

    private static String address(String text) {
        if (SmtpAddress.parse(text, true).isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not an SMTP address such as ceo@contoso.test");
        }
        return text;
    }
}
