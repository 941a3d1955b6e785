package io.mailflow.delivery.smtp;

import java.time.Instant;

/**
 * What {@link SmtpClientStage} needs of a client-side SMTP decision class: the delivery queue's
 * batch dialogue ({@link SmtpClientSession}) and Front End Transport's proxied dialogue
 * ({@link ProxyClientSession}) are both driven through it. Each input returns the
 * {@link SmtpClientSession.Step} the shell carries out.
 */
interface ClientDialogue {

    SmtpClientSession.Step onConnected(String localEndpoint, String remoteEndpoint);

    SmtpClientSession.Step onReceived(byte[] bytes);

    void onWriteProgress();

    void onWritten();

    SmtpClientSession.Step onTick();

    SmtpClientSession.Step onClosedByServer();

    SmtpClientSession.Step onTransportFailed(String reason);

    Instant nextDeadline();

    boolean isFinished();
}
