package io.mailflow.server.cli;

import io.mailflow.core.organization.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code mailflow hash-password}: turns a password into the hash a mailbox's {@code Password}
 * keeps in the organization file (like {@code doveadm pw} for Dovecot). The password is read
 * without echo from the terminal, or as the first line of standard input for scripts, never from
 * the command line, where other users and the shell history would see it.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Print the PBKDF2 hash of a password for a mailbox's Password key.")
public final class HashPasswordCommand implements Callable<Integer> {

    @Option(names = "--iterations", description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
    int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1_000) {
            System.err.println("hash-password: use at least 1000 iterations");
            return 2;
        }
        char[] password = read();
        if (password == null || password.length == 0) {
            System.err.println("hash-password: no password given");
            return 2;
        }
        try {
            System.out.println(PasswordHash.of(password, iterations, new SecureRandom()));
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                System.err.println("hash-password: the two passwords differ");
                return null;
            }
            Arrays.fill(again, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
