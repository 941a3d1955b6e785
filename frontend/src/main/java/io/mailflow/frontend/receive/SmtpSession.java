package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.backpressure.MailFromVerdict;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.message.HeaderSection;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.TransportRole;
import io.mailflow.core.smtp.MailPath;
import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpCommand;
import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.smtp.Xtext;
import io.mailflow.core.time.Clock;
import io.mailflow.frontend.admission.MessageRateLimiter;
import io.mailflow.frontend.auth.AuthenticatedUser;
import io.mailflow.frontend.auth.LogonResult;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SmtpSession: the receive side of one SMTP connection on a receive connector, as a plain
 * decision class (DESIGN.md). Frames in (command lines, end of data, timer ticks), replies and
 * actions out; no I/O, time from the injected {@link Clock}. The Pekko stream shell, the tests
 * and the simulator all drive this same class.
 * Reads: Banner, Fqdn, MaxMessageSize, MaxRecipientsPerMessage, MaxProtocolErrors, MaxHeaderSize,
 * MaxHopCount, MaxLocalHopCount, TarpitInterval, ConnectionTimeout, ConnectionInactivityTimeout,
 * RequireEHLODomain, BareLinefeedRejectionEnabled, PermissionGroups, AuthMechanism,
 * AnonymousExtendedRights (through {@link SessionPermissions}); AUTH is {@link SmtpAuthentication}'s
 * (BasicAuth, AuthTarpitInterval, MaxLogonFailures); on a MailboxDelivery connector
 * the recipient rule of {@link MailboxDeliveryRecipients}; after {@code XMAILFLOWPROXYTO} the
 * transaction is {@link OutboundProxySession}'s; STARTTLS and RequireTLS are {@link StartTls}'s.
 * Emits: the replies of RFC 5321 in Exchange's words (REFERENCE.md) and a {@link ReceivedMessage}
 * per accepted transaction.
 */
public final class SmtpSession {

    /** Exchange's default banner date: {@code Fri, 5 Aug 2016 16:24:41 +0000}. */
    private static final DateTimeFormatter BANNER_DATE =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final Pattern DOMAIN =
        Pattern.compile("(?i)[a-z0-9\\p{L}]([a-z0-9\\p{L}-]{0,61}[a-z0-9\\p{L}])?(\\.[a-z0-9\\p{L}]([a-z0-9\\p{L}-]{0,61}[a-z0-9\\p{L}])?)*\\.?");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[(IPv6:)?[0-9A-Fa-f:.]+]");

    enum State { CONNECTED, GREETED, MAIL, RCPT, DATA, SUBMITTING, CLOSED }

    private final ReceiveConnector connector;
    private final Organization organization;
    private final SessionPolicies policies;
    private SessionPermissions permissions;
    private final SmtpAuthentication authentication;
    private final Clock clock;
    private final String sessionId;
    private final String clientIp;
    private final String serverIp;
    private final Instant connectedAt;

    private State state = State.CONNECTED;
    private Instant lastActivity;
    private boolean extended;
    private String heloName;
    private int protocolErrors;
    private Optional<SmtpAddress> sender = Optional.empty();
    private final List<EnvelopeRecipient> recipients = new ArrayList<>();
    private String envelopeId;
    private DsnReturn dsnReturn;
    private BodyType bodyType = BodyType.SevenBit;
    private boolean smtpUtf8;
    private int messagesAccepted;
    private OutboundProxySession proxy; // set by XMAILFLOWPROXYTO on an Outbound Proxy Frontend session
    private final StartTls startTls;

    public SmtpSession(ReceiveConnector connector, Organization organization, SessionPolicies policies, Clock clock,
                       String sessionId, String clientIp, String serverIp) {
        this.connector = connector;
        this.organization = organization;
        this.policies = policies;
        this.permissions = SessionPermissions.grantedOn(connector);
        this.authentication = new SmtpAuthentication(connector);
        this.startTls = new StartTls(connector, policies.tlsCertificate());
        this.clock = clock;
        this.sessionId = sessionId;
        this.clientIp = clientIp;
        this.serverIp = serverIp;
        this.connectedAt = clock.now();
        this.lastActivity = connectedAt;
    }

    /** The greeting: the connector's Banner, or Exchange's default form. */
    public SessionOutput start() {
        String banner = connector.banner();
        SmtpReply greeting;
        if (banner != null && !banner.isBlank()) {
            String text = banner.strip();
            greeting = SmtpReply.of(220, text.length() > 3 ? text.substring(3).strip() : fqdn());
        } else {
            greeting = SmtpReply.of(220, fqdn() + " Microsoft ESMTP MAIL Service ready at "
                + BANNER_DATE.format(clock.now()));
        }
        return SessionOutput.reply(greeting).note(permissions.logText()).build();
    }

    public SessionOutput onFrame(SmtpFramer.Frame frame) {
        if (state == State.CLOSED) {
            return SessionOutput.NOTHING;
        }
        lastActivity = clock.now();
        if (frame instanceof SmtpFramer.CommandLine line) {
            return authentication.awaitsResponse() ? authenticationStep(authentication.onResponse(line.text()))
                : onCommand(SmtpCommand.parse(line.text()));
        }
        if (frame instanceof SmtpFramer.LineTooLong tooLong) {
            return protocolError(SmtpReplies.LINE_TOO_LONG,
                "command line of " + tooLong.length() + " octets exceeds MaxCommandSize " + connector.maxCommandSize());
        }
        if (frame instanceof SmtpFramer.InvalidCommand invalid) {
            return protocolError(SmtpReplies.INVALID_CHARACTERS, invalid.reason());
        }
        if (frame instanceof SmtpFramer.DataComplete data) {
            return onDataComplete(data);
        }
        throw new IllegalArgumentException("unknown frame " + frame);
    }

    private SessionOutput onCommand(SmtpCommand command) {
        if (proxy != null && proxy.handles(command.verb())) {
            return proxy.onCommand(command);
        }
        return switch (command.verb()) {
            case EHLO -> onHello(command, true);
            case HELO -> onHello(command, false);
            case MAIL -> onMail(command);
            case RCPT -> onRcpt(command);
            case DATA -> onData(command);
            case RSET -> onRset(command);
            case NOOP -> reply(SmtpReplies.OK);
            case QUIT -> {
                state = State.CLOSED;
                yield SessionOutput.reply(SmtpReplies.CLOSING).close().build();
            }
            case VRFY -> command.hasArgument()
                ? reply(SmtpReplies.VRFY_CANNOT_VERIFY)
                : protocolError(SmtpReplies.INVALID_ARGUMENTS, "VRFY without an argument");
            case HELP -> onHelp();
            case AUTH -> onAuth(command);
            case STARTTLS -> onStartTls(command);
            case EXPN, BDAT ->
                protocolError(SmtpReplies.NOT_IMPLEMENTED, command.verb() + " is not offered on this connector");
            case XMAILFLOWPROXYTO -> onProxyTo(command);
            case UNKNOWN -> protocolError(SmtpReplies.UNRECOGNIZED_COMMAND, "unrecognized command");
        };
    }

    /** The verbs this session can use, with STARTTLS and AUTH where the connector offers them, as Exchange lists them. */
    private SessionOutput onHelp() {
        StringBuilder verbs = new StringBuilder("HELO EHLO");
        if (startTls.advertised()) {
            verbs.append(" STARTTLS");
        }
        verbs.append(" MAIL RCPT DATA RSET NOOP QUIT HELP VRFY");
        if (connector.authMechanism().contains(AuthMechanism.BasicAuth)) {
            verbs.append(" AUTH");
        }
        return reply(SmtpReply.multiline(214, List.of("This server supports the following commands:", verbs.toString())));
    }

    private SessionOutput onAuth(SmtpCommand command) {
        if (state == State.CONNECTED) {
            return protocolError(SmtpReplies.SEND_HELLO_FIRST, "AUTH before EHLO");
        }
        if (!extended) {
            return protocolError(SmtpReplies.NOT_IMPLEMENTED, "AUTH after HELO: AUTH is an ESMTP extension");
        }
        if (state != State.GREETED) {
            return protocolError(SmtpReplies.BAD_SEQUENCE, "AUTH inside a mail transaction");
        }
        return authenticationStep(authentication.onAuth(command.argument(), isSecured()));
    }

    private SessionOutput authenticationStep(SmtpAuthentication.Outcome outcome) {
        if (outcome instanceof SmtpAuthentication.Mistake mistake) {
            return protocolError(mistake.reply(), mistake.why());
        }
        return ((SmtpAuthentication.Answer) outcome).output();
    }

    /** The directory answered the credentials the session asked it to check. */
    public SessionOutput onLogonResult(LogonResult result) {
        if (state == State.CLOSED) {
            return SessionOutput.NOTHING;
        }
        lastActivity = clock.now();
        SessionOutput.Builder out = authentication.onLogonResult(result);
        if (result instanceof LogonResult.SignedIn) {
            permissions = SessionPermissions.forAuthenticatedUser(connector);
            out.note(permissions.logText());
        }
        SessionOutput built = out.build();
        if (built.close()) {
            state = State.CLOSED;
        }
        return built;
    }

    /** The line as the protocol log shows it: AUTH credentials are masked. */
    public String protocolLogText(String line) {
        return authentication.protocolLogText(line);
    }

    /** The Transport service names the destination of a proxied outbound session (FrontendProxyEnabled). */
    private SessionOutput onProxyTo(SmtpCommand command) {
        if (!OutboundProxySession.offeredTo(connector, permissions)) {
            return protocolError(SmtpReplies.UNRECOGNIZED_COMMAND, ProxyDestination.VERB
                + " is offered only to Exchange servers on a Front End Transport connector");
        }
        if (state == State.CONNECTED) {
            return protocolError(SmtpReplies.SEND_HELLO_FIRST, ProxyDestination.VERB + " before HELO/EHLO");
        }
        if (state != State.GREETED) {
            return protocolError(SmtpReplies.BAD_SEQUENCE, ProxyDestination.VERB + " inside a transaction");
        }
        Optional<ProxyDestination> destination = ProxyDestination.parse(command.argument());
        if (destination.isEmpty()) {
            return protocolError(SmtpReplies.INVALID_ARGUMENTS, ProxyDestination.VERB + " syntax: " + command.argument());
        }
        proxy = new OutboundProxySession(destination.get(), connector);
        return proxy.open();
    }

    /** The outbound proxy's leg answered the request the session made. */
    public SessionOutput onProxyReply(SmtpReply reply) {
        if (proxy == null || state == State.CLOSED) {
            return SessionOutput.NOTHING;
        }
        lastActivity = clock.now();
        return proxy.onReply(reply);
    }

    private SessionOutput onStartTls(SmtpCommand command) {
        StartTls.Verdict verdict = startTls.onCommand(command, state != State.CONNECTED,
            state == State.MAIL || state == State.RCPT || proxy != null);
        if (verdict instanceof StartTls.Refuse refuse) {
            return refuse.protocolError() ? protocolError(refuse.reply(), refuse.why())
                : SessionOutput.reply(refuse.reply()).note(refuse.why()).build();
        }
        // RFC 3207 §4.2: nothing said before TLS carries over (not even AUTH); the client must greet again.
        resetTransaction();
        authentication.signOut();
        permissions = SessionPermissions.grantedOn(connector);
        heloName = null;
        extended = false;
        state = State.CONNECTED;
        return SessionOutput.reply(SmtpReplies.READY_TO_START_TLS).startTls().build();
    }

    /** The shell completed the TLS handshake that STARTTLS asked for. */
    public SessionOutput onTlsNegotiated(String protocol, String cipherSuite) {
        lastActivity = clock.now();
        return startTls.onNegotiated(protocol, cipherSuite);
    }

    /** The TLS handshake failed; the shell closes the connection. */
    public SessionOutput onTlsFailed(String reason) {
        state = State.CLOSED;
        return startTls.onFailed(reason);
    }

    /** TLS is active on this connection (after STARTTLS and a completed handshake). */
    public boolean isSecured() {
        return startTls.isSecured();
    }

    private SessionOutput onHello(SmtpCommand command, boolean ehlo) {
        String domain = command.argument();
        if (domain.isEmpty()) {
            return protocolError(SmtpReplies.INVALID_DOMAIN, (ehlo ? "EHLO" : "HELO") + " without a domain");
        }
        boolean valid = DOMAIN.matcher(domain).matches() || ADDRESS_LITERAL.matcher(domain).matches();
        if (!valid && connector.requireEHLODomain()) {
            state = State.CLOSED;
            SmtpReply reply = SmtpReplies.INVALID_DOMAIN;
            return SessionOutput.reply(reply).delay(tarpit(reply)).close()
                .note("RequireEHLODomain: '" + domain + "' is not a domain; closing").build();
        }
        resetTransaction();
        heloName = domain;
        extended = ehlo;
        state = State.GREETED;
        String hello = fqdn() + " Hello [" + clientIp + "]";
        if (!ehlo) {
            return reply(SmtpReply.of(250, hello));
        }
        // Exchange's order (exchange.md §2.1): STARTTLS right after ENHANCEDSTATUSCODES.
        List<String> keywords = new ArrayList<>(List.of(hello, "SIZE " + connector.maxMessageSize().bytes(),
            "PIPELINING", "DSN", "ENHANCEDSTATUSCODES"));
        if (startTls.advertised()) {
            keywords.add("STARTTLS");
        }
        List<String> mechanisms = authentication.user().isEmpty() ? authentication.mechanisms(isSecured()) : List.of();
        if (!mechanisms.isEmpty()) {
            keywords.add("AUTH " + String.join(" ", mechanisms));
        }
        keywords.addAll(List.of("8BITMIME", "SMTPUTF8"));
        if (OutboundProxySession.offeredTo(connector, permissions)) {
            keywords.add(ProxyDestination.VERB);
        }
        return reply(SmtpReply.multiline(250, keywords));
    }

    private SessionOutput onMail(SmtpCommand command) {
        if (state == State.CONNECTED) {
            return protocolError(SmtpReplies.SEND_HELLO_FIRST, "MAIL before HELO/EHLO");
        }
        if (state != State.GREETED) {
            return protocolError(SmtpReplies.SENDER_ALREADY_SPECIFIED, "second MAIL in one transaction");
        }
        Optional<SessionOutput> tlsRequired = startTls.refuseMail();
        if (tlsRequired.isPresent()) {
            return tlsRequired.get();
        }
        Optional<MailPath> parsed = MailPath.parse(command.argument(), "FROM:");
        if (parsed.isEmpty()) {
            return protocolError(SmtpReplies.INVALID_ARGUMENTS, "MAIL syntax: " + command.argument());
        }
        MailPath path = parsed.get();
        if (!extended && !path.parameters().isEmpty()) {
            return protocolError(SmtpReplies.UNRECOGNIZED_PARAMETER, "ESMTP parameters after HELO");
        }
        boolean utf8 = false;
        BodyType body = BodyType.SevenBit;
        DsnReturn ret = null;
        String envid = null;
        for (var p : path.parameters().entrySet()) {
            switch (p.getKey()) {
                case "SIZE" -> {
                    long declared;
                    try {
                        declared = Long.parseLong(p.getValue());
                    } catch (NumberFormatException e) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "SIZE=" + p.getValue() + " is not a number");
                    }
                    if (declared > connector.maxMessageSize().bytes()) {
                        SmtpReply reply = SmtpReplies.MESSAGE_TOO_LARGE;
                        return SessionOutput.reply(reply).delay(tarpit(reply))
                            .note("SIZE=" + declared + " exceeds MaxMessageSize " + connector.maxMessageSize()).build();
                    }
                }
                case "BODY" -> {
                    if (p.getValue().equalsIgnoreCase("8BITMIME")) {
                        body = BodyType.EightBitMime;
                    } else if (!p.getValue().equalsIgnoreCase("7BIT")) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "BODY=" + p.getValue() + " is not supported");
                    }
                }
                case "SMTPUTF8" -> {
                    if (!p.getValue().isEmpty()) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "RET" -> {
                    if (p.getValue().equalsIgnoreCase("FULL")) {
                        ret = DsnReturn.FULL;
                    } else if (p.getValue().equalsIgnoreCase("HDRS")) {
                        ret = DsnReturn.HDRS;
                    } else {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "RET=" + p.getValue() + " is not FULL or HDRS");
                    }
                }
                case "ENVID" -> {
                    Optional<String> decoded = Xtext.decode(p.getValue());
                    if (decoded.isEmpty() || decoded.get().length() > 100) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "ENVID is not valid xtext of at most 100 characters");
                    }
                    envid = decoded.get();
                }
                default -> {
                    return protocolError(SmtpReplies.UNRECOGNIZED_PARAMETER, "MAIL parameter " + p.getKey() + " is not offered");
                }
            }
        }
        Optional<SmtpAddress> from = Optional.empty();
        if (!path.isNullPath()) {
            Optional<SmtpAddress> any = SmtpAddress.parse(path.address(), true);
            if (any.isEmpty()) {
                return protocolError(SmtpReplies.SENDER_SYNTAX, "sender '" + path.address() + "' is not an address");
            }
            if (!any.get().isAscii() && !utf8) {
                return protocolError(SmtpReplies.SMTPUTF8_REQUIRED, "non-ASCII sender without SMTPUTF8");
            }
            from = any;
        }
        if (!permissions.has(SmtpPermission.SMTPSubmit)) {
            SmtpReply reply = SmtpReplies.NOT_AUTHENTICATED;
            return SessionOutput.reply(reply).delay(tarpit(reply))
                .note("connector " + connector.name() + " grants ms-Exch-SMTP-Submit to no anonymous session"
                    + " (PermissionGroups " + connector.permissionGroups() + ", AuthMechanism "
                    + connector.authMechanism() + ")").build();
        }
        Optional<AuthenticatedUser> user = authentication.user();
        if (user.isPresent() && from.isPresent() && !user.get().owns(from.get())) {
            return SessionOutput.reply(SmtpReplies.SEND_AS_DENIED)
                .note(user.get().userPrincipalName() + " may not send as " + from.get()
                    + ": it is not one of the mailbox's addresses").build();
        }
        if (user.isEmpty() && from.isPresent() && !permissions.has(SmtpPermission.SMTPAcceptAuthoritativeDomainSender)
            && organization.acceptedDomainFor(from.get().domain())
                .filter(d -> d.domainType() == AcceptedDomain.DomainType.Authoritative).isPresent()) {
            SmtpReply reply = SmtpReplies.ANONYMOUS_SEND_AS_DENIED;
            return SessionOutput.reply(reply).delay(tarpit(reply))
                .note("anonymous sender " + from.get() + " is in an authoritative domain and " + connector.name()
                    + " does not grant Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender").build();
        }
        String rateUser = user.map(AuthenticatedUser::userPrincipalName).orElse(from.map(SmtpAddress::toString).orElse(""));
        if (policies.messageRate().tryAcquire(clientIp, rateUser)
            instanceof MessageRateLimiter.Refused refused) {
            state = State.CLOSED;
            return SessionOutput.reply(refused.reply()).close().event(refused.event()).note(refused.reason()).build();
        }
        MailFromVerdict pressure = policies.backPressure()
            .decide(BackPressure.senderInsideOrganization(organization, from, isInternal()));
        if (pressure instanceof MailFromVerdict.Refuse refuse) {
            return SessionOutput.reply(refuse.reply())
                .note("back pressure " + policies.backPressure().level() + " on "
                    + policies.backPressure().resourcesUnderPressure() + ": MAIL FROM refused").build();
        }
        sender = from;
        bodyType = body;
        smtpUtf8 = utf8;
        dsnReturn = ret;
        envelopeId = envid;
        state = State.MAIL;
        if (pressure instanceof MailFromVerdict.Delay delay) {
            return SessionOutput.reply(SmtpReplies.SENDER_OK).delay(delay.delay())
                .note("back pressure " + policies.backPressure().level() + ": MAIL FROM delayed "
                    + delay.delay().toSeconds() + " s").build();
        }
        return reply(SmtpReplies.SENDER_OK);
    }

    private SessionOutput onRcpt(SmtpCommand command) {
        if (state == State.CONNECTED) {
            return protocolError(SmtpReplies.SEND_HELLO_FIRST, "RCPT before HELO/EHLO");
        }
        if (state != State.MAIL && state != State.RCPT) {
            return protocolError(SmtpReplies.NEED_MAIL_FIRST, "RCPT before MAIL");
        }
        Optional<MailPath> parsed = MailPath.parse(command.argument(), "TO:");
        if (parsed.isEmpty() || parsed.get().isNullPath()) {
            return protocolError(SmtpReplies.RECIPIENT_SYNTAX, "RCPT syntax: " + command.argument());
        }
        MailPath path = parsed.get();
        Set<DsnNotify> notify = Set.of();
        SmtpAddress orcpt = null;
        for (var p : path.parameters().entrySet()) {
            switch (p.getKey()) {
                case "NOTIFY" -> {
                    try {
                        notify = DsnNotify.parse(p.getValue());
                    } catch (IllegalArgumentException e) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, e.getMessage());
                    }
                }
                case "ORCPT" -> {
                    // addr-type ";" xtext (RFC 3461 §4.2); only rfc822 addresses are kept.
                    int semi = p.getValue().indexOf(';');
                    Optional<String> text = semi < 0 ? Optional.empty() : Xtext.decode(p.getValue().substring(semi + 1));
                    if (text.isEmpty()) {
                        return protocolError(SmtpReplies.INVALID_ARGUMENTS, "ORCPT=" + p.getValue() + " is not addr-type;xtext");
                    }
                    if (p.getValue().substring(0, semi).equalsIgnoreCase("rfc822")) {
                        orcpt = SmtpAddress.parse(text.get(), true).orElse(null);
                    }
                }
                default -> {
                    return protocolError(SmtpReplies.UNRECOGNIZED_PARAMETER,
                        "RCPT parameter " + p.getKey() + " is not offered");
                }
            }
        }
        Optional<SmtpAddress> to = path.address().equalsIgnoreCase("postmaster")
            ? defaultDomain().map(d -> new SmtpAddress("postmaster", d))
            : SmtpAddress.parse(path.address(), true);
        if (to.isEmpty()) {
            return protocolError(SmtpReplies.RECIPIENT_SYNTAX, "recipient '" + path.address() + "' is not an address");
        }
        if (!to.get().isAscii() && !smtpUtf8) {
            return protocolError(SmtpReplies.SMTPUTF8_REQUIRED, "non-ASCII recipient without SMTPUTF8");
        }
        if (recipients.size() >= connector.maxRecipientsPerMessage()) {
            return SessionOutput.reply(SmtpReplies.TOO_MANY_RECIPIENTS)
                .note("MaxRecipientsPerMessage " + connector.maxRecipientsPerMessage() + " reached").build();
        }
        if (!organization.isAcceptedDomain(to.get().domain()) && !permissions.has(SmtpPermission.SMTPAcceptAnyRecipient)) {
            SmtpReply reply = SmtpReplies.RELAY_DENIED;
            return SessionOutput.reply(reply).delay(tarpit(reply))
                .note("relay to " + to.get().domain() + " denied: not an accepted domain and no "
                    + ReceiveConnector.ACCEPT_ANY_RECIPIENT + " on " + connector.name()).build();
        }
        // The Recipient Filter agent is anti-spam: sessions with Ms-Exch-Bypass-Anti-Spam skip it.
        if (!permissions.has(SmtpPermission.BypassAntiSpam)
            && policies.recipientFilter().check(to.get()) instanceof RecipientFilter.Verdict.Reject reject) {
            return SessionOutput.reply(reject.reply()).delay(tarpit(reject.reply()))
                .note("Recipient Filter agent: " + to.get() + " " + reject.reason()).build();
        }
        if (connector.transportRole() == TransportRole.MailboxDelivery
            && MailboxDeliveryRecipients.check(organization, connector.server(), to.get())
                instanceof MailboxDeliveryRecipients.Decision.Refuse refuse) {
            return SessionOutput.reply(refuse.reply()).delay(tarpit(refuse.reply()))
                .note("Mailbox Transport Delivery: " + refuse.reason()).build();
        }
        EnvelopeRecipient recipient = EnvelopeRecipient.ready(to.get()).withNotify(notify);
        recipients.add(orcpt == null ? recipient : recipient.withOriginalRecipient(orcpt));
        state = State.RCPT;
        return reply(SmtpReplies.RECIPIENT_OK);
    }

    private SessionOutput onData(SmtpCommand command) {
        if (state == State.CONNECTED) {
            return protocolError(SmtpReplies.SEND_HELLO_FIRST, "DATA before HELO/EHLO");
        }
        if (state == State.GREETED) {
            return protocolError(SmtpReplies.NEED_MAIL_FIRST, "DATA before MAIL");
        }
        if (state == State.MAIL) {
            return protocolError(SmtpReplies.NEED_RCPT_FIRST, "DATA before any accepted RCPT");
        }
        if (command.hasArgument()) {
            return protocolError(SmtpReplies.INVALID_ARGUMENTS, "DATA takes no argument");
        }
        state = State.DATA;
        return SessionOutput.reply(SmtpReplies.START_MAIL_INPUT)
            .startData(connector.maxMessageSize().bytes()).build();
    }

    private SessionOutput onDataComplete(SmtpFramer.DataComplete data) {
        if (proxy != null && proxy.isOpen()) {
            return proxy.onDataComplete(data);
        }
        if (state != State.DATA) {
            throw new IllegalStateException("data without DATA");
        }
        if (data.overSizeLimit()) {
            return rejectMessage(SmtpReplies.MESSAGE_TOO_LARGE,
                "message of " + data.size() + " octets exceeds MaxMessageSize " + connector.maxMessageSize());
        }
        if (connector.bareLinefeedRejectionEnabled() && data.bareLineFeeds() > 0) {
            return rejectMessage(SmtpReplies.BARE_LINEFEEDS,
                data.bareLineFeeds() + " bare LF in message; BareLinefeedRejectionEnabled");
        }
        HeaderSection headers = HeaderSection.of(data.content());
        if (headers.size() > connector.maxHeaderSize().bytes()) {
            return rejectMessage(SmtpReplies.HEADER_TOO_LARGE,
                "header of " + headers.size() + " octets exceeds MaxHeaderSize " + connector.maxHeaderSize());
        }
        long hops = headers.count("Received");
        if (hops >= connector.maxHopCount()) {
            return rejectMessage(SmtpReplies.HOP_COUNT_EXCEEDED,
                hops + " Received headers, MaxHopCount " + connector.maxHopCount());
        }
        long localHops = headers.localHops(fqdn());
        if (connector.maxLocalHopCount() > 0 && localHops >= connector.maxLocalHopCount()) {
            return rejectMessage(SmtpReplies.HOP_COUNT_EXCEEDED,
                localHops + " local Received headers, MaxLocalHopCount " + connector.maxLocalHopCount());
        }
        state = State.SUBMITTING;
        // RFC 3848 / RFC 6531: S for TLS, A for AUTH; STARTTLS is itself ESMTP (there is no "SMTPS").
        String protocol = (smtpUtf8 ? "UTF8SMTP" : extended || isSecured() ? "ESMTP" : "SMTP")
            + (isSecured() ? "S" : "") + (authentication.user().isPresent() ? "A" : "");
        ReceivedMessage message = new ReceivedMessage(sessionId, connector.identity(), sender, recipients,
            headers, clientIp, heloName, fqdn(), serverIp, protocol, bodyType, smtpUtf8, clock.now(), envelopeId,
            dsnReturn, permissions, authentication.user());
        SessionOutput.Builder out = SessionOutput.builder().submit(message);
        if (data.bareLineFeeds() + data.bareCarriageReturns() > 0) {
            out.note("normalised " + data.bareLineFeeds() + " bare LF and " + data.bareCarriageReturns()
                + " bare CR to CRLF");
        }
        return out.build();
    }

    /**
     * Bytes arrived. A client streaming a large message sends no command for minutes; it is
     * not idle, so ConnectionInactivityTimeout counts from its last byte, not its last line.
     */
    public void onBytesReceived() {
        lastActivity = clock.now();
    }

    /** The sink made the message durable: now, and only now, the 250. */
    public SessionOutput onQueued(MessageSink.Queued queued) {
        requireSubmitting();
        messagesAccepted++;
        resetTransaction();
        state = State.GREETED;
        lastActivity = clock.now();
        return reply(SmtpReply.of(250, "2.6.0", queued.messageId() + " [InternalId=" + queued.internalId()
            + ", Hostname=" + fqdn() + "] Queued mail for delivery"));
    }

    /** The sink could not make the message durable: the client keeps responsibility for it. */
    public SessionOutput onSubmitFailed(String reason) {
        requireSubmitting();
        resetTransaction();
        state = State.GREETED;
        lastActivity = clock.now();
        return SessionOutput.reply(SmtpReplies.DATA_TRANSACTION_FAILED).note("message not spooled: " + reason).build();
    }

    /**
     * A timer fired: closes the session when ConnectionTimeout or ConnectionInactivityTimeout has
     * passed on the clock. While the sink is spooling (or a proxied destination owes a reply), the
     * server is the one being slow, so no inactivity timeout applies.
     */
    public SessionOutput onTick() {
        if (state == State.CLOSED) {
            return SessionOutput.NOTHING;
        }
        Instant now = clock.now();
        if (!now.isBefore(connectedAt.plus(connector.connectionTimeout()))) {
            state = State.CLOSED;
            return SessionOutput.reply(SmtpReplies.CONNECTION_TIMED_OUT).close()
                .note("ConnectionTimeout " + connector.connectionTimeout() + " reached").build();
        }
        if (!waitingForServer() && !now.isBefore(lastActivity.plus(connector.connectionInactivityTimeout()))) {
            state = State.CLOSED;
            return SessionOutput.reply(SmtpReplies.INACTIVITY_TIMEOUT).close()
                .note("ConnectionInactivityTimeout " + connector.connectionInactivityTimeout() + " reached").build();
        }
        return SessionOutput.NOTHING;
    }

    /**
     * When {@link #onTick()} should next be called. While the sink is spooling (or a proxied
     * destination owes a reply) no inactivity timeout applies, so only ConnectionTimeout is due
     * (else a shell would tick again at once).
     */
    public Instant nextDeadline() {
        Instant total = connectedAt.plus(connector.connectionTimeout());
        if (waitingForServer()) {
            return total;
        }
        Instant idle = lastActivity.plus(connector.connectionInactivityTimeout());
        return idle.isBefore(total) ? idle : total;
    }

    /** The spool or the proxied destination owes the answer: the client is not the one idle. */
    private boolean waitingForServer() {
        return state == State.SUBMITTING || authentication.isVerifying() || (proxy != null && proxy.isWaiting());
    }

    /** The client went away; nothing to answer. True when a transaction was lost mid-DATA. */
    public boolean onDisconnected() {
        boolean midData = state == State.DATA;
        state = State.CLOSED;
        return midData;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    public int messagesAccepted() {
        return messagesAccepted;
    }

    State state() {
        return state;
    }

    private SessionOutput rejectMessage(SmtpReply reply, String why) {
        resetTransaction();
        state = State.GREETED;
        return SessionOutput.reply(reply).delay(tarpit(reply)).note(why).build();
    }

    private SessionOutput onRset(SmtpCommand command) {
        if (command.hasArgument()) {
            return protocolError(SmtpReplies.INVALID_ARGUMENTS, "RSET takes no argument");
        }
        resetTransaction();
        if (state != State.CONNECTED) {
            state = State.GREETED;
        }
        return reply(SmtpReplies.RESET_OK);
    }

    /**
     * Counts a protocol error; past MaxProtocolErrors the connection is closed with 421 4.7.0
     * instead of the error's own reply.
     */
    private SessionOutput protocolError(SmtpReply reply, String why) {
        protocolErrors++;
        if (connector.maxProtocolErrors().isExceededBy(protocolErrors)) {
            state = State.CLOSED;
            return SessionOutput.reply(SmtpReplies.TOO_MANY_ERRORS).close()
                .note(why + "; protocol error " + protocolErrors + " exceeds MaxProtocolErrors "
                    + connector.maxProtocolErrors()).build();
        }
        return SessionOutput.reply(reply).delay(tarpit(reply)).note(why).build();
    }

    private SessionOutput reply(SmtpReply reply) {
        return SessionOutput.reply(reply).build();
    }

    private Duration tarpit(SmtpReply reply) {
        return Tarpit.delayFor(reply, isInternal(), connector);
    }

    /** One of the organization's servers, or a signed-in mailbox user: never tarpitted, inside the organization. */
    private boolean isInternal() {
        return permissions.holdsExchangeServers() || authentication.user().isPresent();
    }

    private void resetTransaction() {
        sender = Optional.empty();
        recipients.clear();
        envelopeId = null;
        dsnReturn = null;
        bodyType = BodyType.SevenBit;
        smtpUtf8 = false;
    }

    private void requireSubmitting() {
        if (state != State.SUBMITTING) {
            throw new IllegalStateException("no message is being submitted (state " + state + ")");
        }
    }

    private String fqdn() {
        return connector.fqdn();
    }

    private Optional<String> defaultDomain() {
        return organization.acceptedDomains().stream().filter(AcceptedDomain::isDefault).findFirst()
            .or(() -> organization.acceptedDomains().stream().findFirst())
            .map(AcceptedDomain::domainName);
    }
}
