package io.mailflow.frontend.auth;

import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.PasswordHash;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class DirectoryAuthenticatorTest {
    private static final Organization DEMO = OrganizationLoader.loadResource("mailflow/demo-organization.conf");

    private static LogonResult logon(DirectoryAuthenticator directory, String authzid, String user, String password) {
        return directory.check(new LogonRequest("PLAIN", authzid, user, password.toCharArray()));
    }

    @Test
    void everySignInNameOfAUserFindsTheSameMailbox() {
        DirectoryAuthenticator directory = new DirectoryAuthenticator(() -> DEMO, Runnable::run);
        for (String name : List.of("kate@contoso.test", "K.Smith@contoso.test", "kate", "CONTOSO\\kate", " kate ")) {
            LogonResult result = logon(directory, "", name, "P@ssw0rd");
            assertEquals("Kate Smith", assertInstanceOf(LogonResult.SignedIn.class, result, name).user().mailboxName());
        }
    }

    @Test
    void unknownNamesForeignDomainsGroupsAndWrongPasswordsAreDeniedAsLogonDenied() {
        DirectoryAuthenticator directory = new DirectoryAuthenticator(() -> DEMO, Runnable::run);
        assertEquals(new LogonResult.Denied("LogonDenied", "no mailbox user signs in as 'FABRIKAM\\kate'"),
            logon(directory, "", "FABRIKAM\\kate", "P@ssw0rd"));
        assertEquals(new LogonResult.Denied("LogonDenied", "no mailbox user signs in as 'all-staff@contoso.test'"),
            logon(directory, "", "all-staff@contoso.test", "P@ssw0rd"));
        assertEquals(new LogonResult.Denied("LogonDenied", "wrong password for kate@contoso.test"),
            logon(directory, "", "kate", "wrong"));
        assertEquals(new LogonResult.Denied("LogonDenied", "mailbox David Jones has no password"),
            logon(directory, "", "david", "P@ssw0rd"));
        assertEquals(new LogonResult.Denied("LogonDenied", "kate may not act as chris"),
            logon(directory, "chris", "kate", "P@ssw0rd"));
    }

    @Test
    void aChangedPasswordTakesEffectAtOnceEvenAfterASuccessfulSignIn() {
        AtomicReference<Organization> org = new AtomicReference<>(DEMO);
        DirectoryAuthenticator directory = new DirectoryAuthenticator(org::get, Runnable::run);
        assertInstanceOf(LogonResult.SignedIn.class, logon(directory, "", "kate", "P@ssw0rd"));
        assertInstanceOf(LogonResult.SignedIn.class, logon(directory, "", "kate", "P@ssw0rd"), "remembered");
        PasswordHash changed = PasswordHash.of("n3w-Passw0rd".toCharArray(), 1_000, new SecureRandom());
        org.set(DEMO.withDirectory(DEMO.directory().withMailboxes(DEMO.mailboxes().stream()
            .map(m -> m.alias().equals("kate") ? m.withPassword(changed) : m).toList())));
        assertInstanceOf(LogonResult.Denied.class, logon(directory, "", "kate", "P@ssw0rd"));
        assertInstanceOf(LogonResult.SignedIn.class, logon(directory, "", "kate", "n3w-Passw0rd"));
    }

    @Test
    void aSignedInUserOwnsEveryAddressOfTheMailboxAndNoOther() {
        Mailbox kate = DEMO.mailboxes().stream().filter(m -> m.alias().equals("kate")).findFirst().orElseThrow();
        AuthenticatedUser user = AuthenticatedUser.of(kate);
        assertEquals(true, user.owns(io.mailflow.core.address.SmtpAddress.of("K.Smith@Contoso.test")));
        assertEquals(false, user.owns(io.mailflow.core.address.SmtpAddress.of("chris@contoso.test")));
    }
}
