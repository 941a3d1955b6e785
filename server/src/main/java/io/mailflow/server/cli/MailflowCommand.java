package io.mailflow.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mailflow}: the command line of the product. Subcommands are the jobs Mailflow does:
 * {@code relay} runs a server of an organization, {@code shell} administers it, {@code simulate}
 * answers what-ifs about a topology under virtual time, {@code hash-password} makes a mailbox password hash.
 */
@Command(name = "mailflow", mixinStandardHelpOptions = true, version = "Mailflow 0.1.0",
    description = "A mail transport engine modelled on the Exchange 2016/2019 transport pipeline.",
    subcommands = {RelayCommand.class, ShellCommand.class, SimulateCommand.class, HashPasswordCommand.class})
public final class MailflowCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        pointProcessLogAtDataDirectory(args);
        System.exit(new CommandLine(new MailflowCommand()).execute(args));
    }

    /**
     * The process log lives in DATA/logs/Process; logback reads {@code mailflow.logs} when the
     * first logger is created, so it is set before anything logs.
     */
    private static void pointProcessLogAtDataDirectory(String[] args) {
        String data = "data";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                data = args[i + 1];
            } else if (args[i].startsWith("--data-dir=")) {
                data = args[i].substring("--data-dir=".length());
            }
        }
        if (System.getProperty("mailflow.logs") == null) {
            System.setProperty("mailflow.logs", java.nio.file.Path.of(data, "logs").toAbsolutePath().toString());
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
