package io.mailflow.server.admin.shell;

/**
 * Admin shell: how a cmdlet (or the parser and binder) reports an error. Thrown from a cmdlet
 * running for one piped object it is non-terminating: the error is printed and the next object
 * runs, as when Set-ReceiveConnector fails on one connector of Get-ReceiveConnector's output.
 * A terminating one stops the whole statement.
 */
public final class ShellException extends RuntimeException {
    private final ErrorRecord record;
    private final boolean terminating;

    public ShellException(ErrorRecord record, boolean terminating) {
        super(record.message(), null, false, false);
        this.record = record;
        this.terminating = terminating;
    }

    public ShellException(ErrorRecord record) {
        this(record, false);
    }

    public ErrorRecord record() {
        return record;
    }

    public boolean terminating() {
        return terminating;
    }

    /** This error, stopping the statement instead of going on with the next piped object. */
    public ShellException asTerminating() {
        return new ShellException(record, true);
    }
}
