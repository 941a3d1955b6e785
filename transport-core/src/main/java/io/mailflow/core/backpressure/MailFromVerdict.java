package io.mailflow.core.backpressure;

import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;

import java.time.Duration;
import java.util.Objects;

/**
 * Back pressure's answer to one MAIL FROM, given by {@link BackPressure#decide}: the receive
 * session either goes on with its own checks ({@link Accept}), goes on after holding the reply
 * back ({@link Delay}, Exchange's tarpitting of the MAIL FROM acknowledgement), or answers
 * {@link Refuse} ({@code 452 4.3.1 Insufficient system resources}) and keeps the connection open.
 */
public sealed interface MailFromVerdict {

    /** No back pressure on this sender. */
    record Accept() implements MailFromVerdict {
        public static final Accept INSTANCE = new Accept();
    }

    /** Hold the MAIL FROM reply back this long, then carry on as for {@link Accept}. */
    record Delay(Duration delay) implements MailFromVerdict {
        public Delay {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("a tarpit delay is positive: " + delay);
            }
        }
    }

    /** Answer this reply to MAIL FROM: the transient 452 4.3.1, so the client retries later. */
    record Refuse(SmtpReply reply) implements MailFromVerdict {
        public static final Refuse INSUFFICIENT_RESOURCES = new Refuse(SmtpReplies.INSUFFICIENT_RESOURCES);

        public Refuse {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
