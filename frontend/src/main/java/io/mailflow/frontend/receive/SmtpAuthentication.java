package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.frontend.auth.AuthenticatedUser;
import io.mailflow.frontend.auth.LogonRequest;
import io.mailflow.frontend.auth.LogonResult;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SmtpAuthentication: the AUTH command of one receive session (RFC 4954), Exchange's Basic
 * authentication, as a plain decision class. Offers LOGIN (Exchange's mechanism for
 * BasicAuth) and PLAIN (RFC 4616, what most application clients use), decodes the client's
 * Base64 lines and asks the directory through a {@link LogonRequest}; the answer comes back in
 * {@link #onLogonResult}. A failed sign-in is answered after AuthTarpitInterval, and the failure
 * that reaches MaxLogonFailures closes the connection.
 * Reads: AuthMechanism (BasicAuth; BasicAuthRequireTLS keeps AUTH off until TLS is active),
 * AuthTarpitInterval, MaxLogonFailures.
 */
final class SmtpAuthentication {

    /** What the session does with a step of the exchange. */
    sealed interface Outcome {
    }

    /** Send this output as it is. */
    record Answer(SessionOutput output) implements Outcome {
    }

    /** A client mistake: the session counts it as a protocol error and answers {@code reply}. */
    record Mistake(SmtpReply reply, String why) implements Outcome {
    }

    private enum Step { NONE, LOGIN_USERNAME, LOGIN_PASSWORD, PLAIN_RESPONSE, VERIFYING }

    private static final String LOGIN = "LOGIN";
    private static final String PLAIN = "PLAIN";

    private final ReceiveConnector connector;
    private Step step = Step.NONE;
    private String mechanism;
    private String userName;
    private int failures;
    private AuthenticatedUser user;

    SmtpAuthentication(ReceiveConnector connector) {
        this.connector = connector;
    }

    /** The mechanisms EHLO lists: none without BasicAuth, none before TLS with BasicAuthRequireTLS. */
    List<String> mechanisms(boolean secured) {
        if (!connector.authMechanism().contains(AuthMechanism.BasicAuth)
            || (connector.authMechanism().contains(AuthMechanism.BasicAuthRequireTLS) && !secured)) {
            return List.of();
        }
        return List.of(LOGIN, PLAIN);
    }

    /** STARTTLS: a sign-in made before TLS does not carry over; the failures counted so far do. */
    void signOut() {
        user = null;
    }

    /** The next line from the client answers a challenge; it is not a command. */
    boolean awaitsResponse() {
        return step == Step.LOGIN_USERNAME || step == Step.LOGIN_PASSWORD || step == Step.PLAIN_RESPONSE;
    }

    /** The directory owes the answer. */
    boolean isVerifying() {
        return step == Step.VERIFYING;
    }

    Optional<AuthenticatedUser> user() {
        return Optional.ofNullable(user);
    }

    /** The line as the protocol log may show it: credentials never appear there. */
    String protocolLogText(String line) {
        if (awaitsResponse()) {
            return "*****";
        }
        String text = line.strip();
        if (!text.regionMatches(true, 0, "AUTH ", 0, 5)) {
            return line; // every other command, as it came: no regex on the hot path
        }
        String[] words = text.split(" +", 3);
        return words.length == 3 ? words[0] + " " + words[1] + " *****" : line;
    }

    /** {@code AUTH mechanism [initial-response]} in a greeted session outside a transaction. */
    Outcome onAuth(String argument, boolean secured) {
        if (user != null) {
            return new Mistake(SmtpReplies.AUTH_ALREADY_AUTHENTICATED, "AUTH after the session authenticated");
        }
        String[] words = argument.strip().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            return new Mistake(SmtpReplies.INVALID_ARGUMENTS, "AUTH syntax: " + words.length + " arguments");
        }
        String asked = words[0].toUpperCase(Locale.ROOT);
        if (!asked.equals(LOGIN) && !asked.equals(PLAIN)
            || !connector.authMechanism().contains(AuthMechanism.BasicAuth)) {
            return new Mistake(SmtpReplies.AUTH_UNRECOGNIZED_TYPE, "AUTH " + asked + " is not offered on "
                + connector.name() + " (AuthMechanism " + connector.authMechanism() + ")");
        }
        if (mechanisms(secured).isEmpty()) {
            return new Mistake(SmtpReplies.AUTH_ENCRYPTION_REQUIRED, "AUTH " + asked
                + " before STARTTLS; " + connector.name() + " has BasicAuthRequireTLS");
        }
        mechanism = asked;
        Optional<String> initial = words.length == 2 ? Optional.of(words[1]) : Optional.empty();
        if (asked.equals(LOGIN)) {
            if (initial.isEmpty()) {
                step = Step.LOGIN_USERNAME;
                return answer(SmtpReplies.AUTH_LOGIN_USERNAME);
            }
            step = Step.LOGIN_USERNAME;
            return onResponse(initial.get());
        }
        step = Step.PLAIN_RESPONSE;
        return initial.isEmpty() ? answer(SmtpReplies.AUTH_EMPTY_CHALLENGE) : onResponse(initial.get());
    }

    /** A response line to the last challenge. */
    Outcome onResponse(String line) {
        String text = line.strip();
        if (text.equals("*")) {
            step = Step.NONE;
            return new Answer(SessionOutput.reply(SmtpReplies.AUTH_CANCELLED)
                .note("client cancelled AUTH " + mechanism).build());
        }
        Optional<char[]> decoded = decode(text);
        if (decoded.isEmpty()) {
            step = Step.NONE;
            return new Mistake(SmtpReplies.AUTH_CANNOT_DECODE, "AUTH " + mechanism + " response is not UTF-8 in Base64");
        }
        char[] chars = decoded.get();
        switch (step) {
            case LOGIN_USERNAME -> {
                userName = new String(chars);
                step = Step.LOGIN_PASSWORD;
                return answer(SmtpReplies.AUTH_LOGIN_PASSWORD);
            }
            case LOGIN_PASSWORD -> {
                return verify(new LogonRequest(LOGIN, "", userName, chars));
            }
            case PLAIN_RESPONSE -> {
                // authzid NUL authcid NUL passwd (RFC 4616 §2)
                int first = indexOf(chars, 0);
                int second = first < 0 ? -1 : indexOf(chars, first + 1);
                if (second < 0 || second == first + 1) {
                    Arrays.fill(chars, '\0');
                    step = Step.NONE;
                    return new Mistake(SmtpReplies.AUTH_CANNOT_DECODE, "AUTH PLAIN response is not authzid NUL authcid NUL passwd");
                }
                LogonRequest request = new LogonRequest(PLAIN, new String(chars, 0, first),
                    new String(chars, first + 1, second - first - 1), Arrays.copyOfRange(chars, second + 1, chars.length));
                Arrays.fill(chars, '\0');
                return verify(request);
            }
            default -> throw new IllegalStateException("no challenge outstanding (step " + step + ")");
        }
    }

    /** The directory answered; the session adds its new permissions to the output. */
    SessionOutput.Builder onLogonResult(LogonResult result) {
        if (step != Step.VERIFYING) {
            throw new IllegalStateException("no logon is being verified (step " + step + ")");
        }
        step = Step.NONE;
        if (result instanceof LogonResult.SignedIn signedIn) {
            user = signedIn.user();
            return SessionOutput.reply(SmtpReplies.AUTH_SUCCESSFUL)
                .note(user.userPrincipalName() + " authenticated with AUTH " + mechanism);
        }
        if (result instanceof LogonResult.Unavailable unavailable) {
            return SessionOutput.reply(SmtpReplies.AUTH_TEMPORARY_FAILURE)
                .note("AUTH " + mechanism + " not checked: " + unavailable.reason());
        }
        LogonResult.Denied denied = (LogonResult.Denied) result;
        failures++;
        SessionOutput.Builder out = SessionOutput.builder()
            .note("Inbound AUTH " + mechanism + " failed because of " + denied.status())
            .note(denied.reason());
        if (connector.maxLogonFailures() > 0 && failures >= connector.maxLogonFailures()) {
            return out.reply(SmtpReplies.TOO_MANY_ERRORS).delay(connector.authTarpitInterval()).close()
                .note("logon failure " + failures + " reaches MaxLogonFailures " + connector.maxLogonFailures()
                    + "; closing");
        }
        return out.reply(SmtpReplies.AUTH_UNSUCCESSFUL).delay(connector.authTarpitInterval());
    }

    private Outcome verify(LogonRequest request) {
        step = Step.VERIFYING;
        return new Answer(SessionOutput.builder().logon(request).build());
    }

    private static Outcome answer(SmtpReply challenge) {
        return new Answer(SessionOutput.reply(challenge).build());
    }

    private static Optional<char[]> decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.equals("=") ? "" : base64);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return Optional.of(out);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static int indexOf(char[] chars, int from) {
        for (int i = from; i < chars.length; i++) {
            if (chars[i] == '\0') {
                return i;
            }
        }
        return -1;
    }
}
