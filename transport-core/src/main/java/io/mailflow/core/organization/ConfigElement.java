package io.mailflow.core.organization;

import com.typesafe.config.ConfigOrigin;

/**
 * Organization configuration: one value of a multi-valued key ({@code Members},
 * {@code EmailAddresses}, {@code Bindings}) as {@link ConfigEntry#list} reads it, with where it
 * was written, so a problem with it names its own line and index ({@code Bindings[1]}).
 *
 * @param text   the value, trimmed
 * @param origin where it was written
 * @param key    its key path, with the index when it came from a HOCON list
 */
record ConfigElement(String text, ConfigOrigin origin, String key) {
}
