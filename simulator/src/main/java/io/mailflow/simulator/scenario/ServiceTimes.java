package io.mailflow.simulator.scenario;

/**
 * Scenario: how long the relay's own work takes ({@code ServiceTimes}), each a
 * {@link Distribution}. The defaults come from the relay's measured benchmark
 * ({@code bench/relay-throughput.sh}, README "Benchmarks": 1 KB messages, 20 sessions of
 * smtp-source on a 2-core VM: 1,929 msg/s, end-of-data → 250 p50 4 ms, p99 14 ms):
 * <ul>
 *   <li>{@code SpoolSync}: end-of-data → 250 (the synced spool write): LogNormal with the measured
 *       median 4 ms and p99 14 ms. A delay, not a queue: RocksDB's group commit lets concurrent
 *       sessions share each fsync. A saturated-load figure: at 40-150 msg/s (bench/calibrate.sh)
 *       end of data → 250 is p50 1.7-1.9 ms, p99 6.6-7.4 ms.</li>
 *   <li>{@code Categorizer}: one message through resolver and router, one at a time: Exponential,
 *       mean 0.5 ms. Estimated: the whole pipeline used about 1 ms of CPU per message in that run.</li>
 *   <li>{@code MailboxDelivery}: one message into a mailbox database (Maildir, file and directory
 *       fsync): LogNormal median 4 ms, p99 14 ms. Estimated: delivery kept up with reception in
 *       the benchmark ("settle" near 0), and its fsyncs are of the spool's kind.</li>
 *   <li>{@code SmtpDelivery}: one message to a smart host or MX: Exponential, mean 50 ms. Not
 *       measured: a typical WAN exchange of MAIL, RCPT, DATA; change it for your link.</li>
 *   <li>{@code TlsHandshake}: what STARTTLS costs beyond its round trips (the client model charges
 *       one for STARTTLS, one for the handshake, one for the EHLO after it): the relay's part of the
 *       handshake, its TLS engine and the first records. LogNormal median 6 ms, p99 20 ms, measured
 *       by {@code bench/session-setup.sh} (STARTTLS → 220, the handshake and the EHLO after it,
 *       each less a NOOP's round trip).</li>
 *   <li>{@code Logon}: AUTH → 235 for a user whose password the relay remembers from an earlier
 *       sign-in, less a NOOP's round trip: LogNormal median 0.7 ms, p99 6 ms (same benchmark).
 *       Any other check (a first sign-in, a wrong password, an unknown user) runs the PBKDF2
 *       hash as well, which the model adds on its own ({@code PasswordHashCheck}).</li>
 *   <li>{@code PasswordHashCheck}: one PBKDF2-HMAC-SHA256 check of 100,000 iterations on the
 *       relay's logon threads: LogNormal median 24 ms, p99 38 ms (a wrong password's AUTH less a
 *       remembered one's, same benchmark).</li>
 * </ul>
 */
public record ServiceTimes(Distribution spoolSync,
                           Distribution categorizer,
                           Distribution mailboxDelivery,
                           Distribution smtpDelivery,
                           Distribution tlsHandshake,
                           Distribution logon,
                           Distribution passwordHashCheck) {

    public static final ServiceTimes DEFAULTS = new ServiceTimes(
        new Distribution.LogNormal(4_000_000, 14_000_000),
        new Distribution.Exponential(500_000),
        new Distribution.LogNormal(4_000_000, 14_000_000),
        new Distribution.Exponential(50_000_000),
        new Distribution.LogNormal(6_000_000, 20_000_000),
        new Distribution.LogNormal(700_000, 6_000_000),
        new Distribution.LogNormal(24_000_000, 38_000_000));
}
