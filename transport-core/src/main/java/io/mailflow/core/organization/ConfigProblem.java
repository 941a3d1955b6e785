package io.mailflow.core.organization;

/**
 * Organization configuration: one problem the {@link OrganizationLoader} found, with the file
 * and line it sits on and the key path in Exchange's names, e.g.
 * {@code org.conf:14: ReceiveConnectors.Connectors[0].MaxInboundConnectionPerSource: 0 is outside the range 1-10000 or unlimited}.
 *
 * @param file    the file (or resource, or origin description) the value came from
 * @param line    1-based line, or -1 when unknown
 * @param key     the key path, empty for a syntax error that belongs to no key
 * @param message what is wrong, in words an administrator can act on
 */
public record ConfigProblem(String file, int line, String key, String message) {

    /** The compiler-style line: {@code file:line: key: message}. */
    public String render() {
        StringBuilder sb = new StringBuilder(file);
        if (line >= 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
