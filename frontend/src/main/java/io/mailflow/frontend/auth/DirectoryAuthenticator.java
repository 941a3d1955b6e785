package io.mailflow.frontend.auth;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.PasswordHash;
import io.mailflow.core.organization.Recipient;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Signs mailbox users in against the organization's directory, as Exchange checks Basic
 * authentication against Active Directory. A user names themselves by UserPrincipalName, by any
 * of their SMTP addresses, by alias, or as {@code DOMAIN\alias} where DOMAIN is the first label of
 * one of the organization's accepted domains (the NetBIOS-style form Outlook users type).
 *
 * <p>Password hashes are checked on {@code executor}. A successful check is remembered (keyed by
 * the stored hash, so a changed password forgets it), so a client that signs in for every message
 * costs one SHA-256, not one PBKDF2; a wrong password always costs the full hash, and so does an
 * unknown user or one without a password (against a stand-in hash), so the time of the answer
 * does not tell an attacker which names exist.
 */
public final class DirectoryAuthenticator implements Authenticator {
    private static final int REMEMBERED = 10_000;

    /**
     * Hashed against when there is no real hash to check, to take the time a real check takes.
     * Made at the first such check, not at start: a hash is tens of milliseconds of CPU.
     */
    private static final class StandIn {
        static final PasswordHash HASH = PasswordHash.of("stand-in".toCharArray(), PasswordHash.DEFAULT_ITERATIONS,
            new java.security.SecureRandom());
    }

    private final Supplier<Organization> organization;
    private final Executor executor;
    private final Map<PasswordHash, byte[]> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PasswordHash, byte[]> eldest) {
            return size() > REMEMBERED;
        }
    };
    private volatile SignInNames names = new SignInNames(null, Map.of());

    public DirectoryAuthenticator(Supplier<Organization> organization, Executor executor) {
        this.organization = organization;
        this.executor = executor;
    }

    @Override
    public CompletionStage<LogonResult> logon(LogonRequest request) {
        return CompletableFuture.supplyAsync(() -> check(request), executor);
    }

    /** The decision itself, on the calling thread. */
    public LogonResult check(LogonRequest request) {
        try {
            Optional<Mailbox> found = find(organization.get(), request.userName());
            if (found.isEmpty()) {
                StandIn.HASH.matches(request.password());
                return LogonResult.Denied.logonDenied("no mailbox user signs in as '" + request.userName() + "'");
            }
            Mailbox mailbox = found.get();
            if (!request.authorizationId().isEmpty()
                && !find(organization.get(), request.authorizationId()).equals(found)) {
                return LogonResult.Denied.logonDenied(request.userName() + " may not act as "
                    + request.authorizationId());
            }
            if (mailbox.password().isEmpty()) {
                StandIn.HASH.matches(request.password());
                return LogonResult.Denied.logonDenied("mailbox " + mailbox.name() + " has no password");
            }
            if (!matches(mailbox.password().get(), request.password())) {
                return LogonResult.Denied.logonDenied("wrong password for " + mailbox.userPrincipalName());
            }
            return new LogonResult.SignedIn(AuthenticatedUser.of(mailbox));
        } finally {
            Arrays.fill(request.password(), '\0');
        }
    }

    private boolean matches(PasswordHash hash, char[] password) {
        byte[] digest = digest(hash, password);
        synchronized (verified) {
            byte[] known = verified.get(hash);
            if (known != null && MessageDigest.isEqual(known, digest)) {
                return true;
            }
        }
        if (!hash.matches(password)) {
            return false;
        }
        synchronized (verified) {
            verified.put(hash, digest);
        }
        return true;
    }

    private static byte[] digest(PasswordHash hash, char[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hash.toString().getBytes(StandardCharsets.US_ASCII));
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            sha.update(bytes);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private Optional<Mailbox> find(Organization org, String userName) {
        String name = userName.strip();
        int backslash = name.indexOf('\\');
        if (backslash > 0) {
            String netbios = name.substring(0, backslash);
            boolean ours = org.acceptedDomains().stream().map(AcceptedDomain::domainName)
                .anyMatch(d -> d.split("\\.", 2)[0].equalsIgnoreCase(netbios));
            return ours ? asMailbox(org.directory().findByIdentity(name.substring(backslash + 1))) : Optional.empty();
        }
        if (name.indexOf('@') > 0) {
            Mailbox byUpn = signInNames(org).get(name.toLowerCase(Locale.ROOT));
            if (byUpn != null) {
                return Optional.of(byUpn);
            }
            return asMailbox(SmtpAddress.parse(name, true).flatMap(a -> org.directory().findRecipient(a)));
        }
        return asMailbox(org.directory().findByIdentity(name));
    }

    private static Optional<Mailbox> asMailbox(Optional<Recipient> recipient) {
        return recipient.filter(Mailbox.class::isInstance).map(Mailbox.class::cast);
    }

    /** UserPrincipalName index of the organization in force, rebuilt when it changes. */
    private Map<String, Mailbox> signInNames(Organization org) {
        SignInNames current = names;
        if (current.organization != org) {
            Map<String, Mailbox> byName = new HashMap<>();
            for (Mailbox m : org.directory().mailboxes()) {
                byName.put(m.userPrincipalName().toLowerCase(Locale.ROOT), m);
            }
            current = new SignInNames(org, byName);
            names = current;
        }
        return current.byName;
    }

    private record SignInNames(Organization organization, Map<String, Mailbox> byName) {
    }
}
