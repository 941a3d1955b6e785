package io.mailflow.core.organization;

/** One entry of Bindings, {@code address:port}; {@code 0.0.0.0} and {@code [::]} mean every address. */
public record Binding(String address, int port) {

    public static Binding parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a binding such as 127.0.0.1:25");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        return new Binding(host, port);
    }

    @Override
    public String toString() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
