package io.mailflow.core.organization;

import java.util.List;

/**
 * Organization configuration: the {@code RecipientFilterConfig} section (Set-RecipientFilterConfig),
 * read after the Receive connectors, over Exchange's defaults through
 * {@link RecipientFilterConfigParameters}' table; without the section, {@link RecipientFilterConfig#DEFAULT}.
 */
final class RecipientFilterConfigReader {
    private static final List<String> RECIPIENT_FILTER_KEYS = RecipientFilterConfigParameters.TABLE.names();

    private RecipientFilterConfigReader() {
    }

    static RecipientFilterConfig read(ConfigEntry top) {
        ConfigEntry section = top.object("RecipientFilterConfig", RECIPIENT_FILTER_KEYS,
            RecipientFilterConfigParameters.TABLE.notImplemented());
        if (section == null) {
            return RecipientFilterConfig.DEFAULT;
        }
        RecipientFilterConfig.Builder b = RecipientFilterConfig.Builder.from(RecipientFilterConfig.DEFAULT);
        ConfigParams.apply(section, RecipientFilterConfigParameters.TABLE, b);
        return b.build();
    }
}
