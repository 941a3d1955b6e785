package io.mailflow.core.smtp;

/**
 * One command line as received, split into verb and argument (RFC 5321 §4.1.1). MAIL and RCPT
 * carry their {@code FROM:}/{@code TO:} in the argument; {@link MailPath} parses it.
 */
public record SmtpCommand(SmtpVerb verb, String argument, String line) {

    public static SmtpCommand parse(String line) {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        String word = space < 0 ? trimmed : trimmed.substring(0, space);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return new SmtpCommand(SmtpVerb.of(word), argument, line);
    }

    public boolean hasArgument() {
        return !argument.isEmpty();
    }
}
