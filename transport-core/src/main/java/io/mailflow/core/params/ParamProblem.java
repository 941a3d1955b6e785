package io.mailflow.core.params;

/**
 * Parameters: one problem with one parameter of a Set-... command, e.g.
 * {@code MaxInboundConnectionPerSource: 0 is outside the range 1-10000 or unlimited}. The message
 * is the one the HOCON loader gives for the same value ({@code file:line: key: message}).
 *
 * @param parameter the parameter's Exchange name, or the name as given when it is unknown
 * @param message   what is wrong, in words an administrator can act on
 */
public record ParamProblem(String parameter, String message) {

    /** {@code Parameter: message}. */
    public String render() {
        return parameter + ": " + message;
    }

    @Override
    public String toString() {
        return render();
    }
}
