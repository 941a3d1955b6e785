package io.mailflow.frontend.receive;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.backpressure.Resource;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.time.ManualClock;
import io.mailflow.frontend.admission.MessageRateLimiter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-wide policies as a session applies them: recipient filtering and back pressure. */
class SmtpSessionPoliciesTest {

    private static MessageRateLimiter unlimitedRate(ManualClock clock) {
        return MessageRateLimiter.forConnector(SessionFixture.connector(SessionFixture.DEFAULT_FRONTEND), clock);
    }

    @Test
    void pastMessageRateLimitTheConnectionIsDroppedWith421AndEvent1031() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.messageRateLimit(Unlimited.of(2))).greeted();
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<app@fabrikam.example>"));
            s.send("RSET");
        }
        assertEquals(List.of("421 4.4.2 Message submission rate for this client has exceeded the configured limit"),
            s.send("MAIL FROM:<app@fabrikam.example>"));
        assertTrue(s.last().close());
        assertEquals(1031, s.last().events().get(0).eventId());
    }

    private static SessionFixture filtering(String... blocked) {
        return SessionFixture.withPolicies(clock -> new SessionPolicies(
            new RecipientFilter(true, true, blocked.length > 0, List.of(blocked), SessionFixture.DEMO),
            new BackPressure(BackPressure.Settings.defaults(), clock), unlimitedRate(clock),
            SessionFixture.demoDirectory(), false));
    }

    @Test
    void withRecipientValidationAnUnknownRecipientGets550UserUnknownAfterTheTarpit() {
        SessionFixture s = filtering().greeted().transaction();
        assertEquals(List.of("550 5.1.1 User unknown"), s.send("RCPT TO:<nobody@contoso.test>"));
        assertEquals(Duration.ofSeconds(5), s.last().delay());
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<lisa@contoso.test>"));
    }

    @Test
    void aBlockedRecipientIsAnsweredLikeAnUnknownOne() {
        SessionFixture s = filtering("lisa@contoso.test").greeted().transaction();
        assertEquals(List.of("550 5.1.1 User unknown"), s.send("RCPT TO:<Lisa@contoso.test>"));
    }

    @Test
    void withoutRecipientFilteringUnknownRecipientsAreLeftToTheCategorizer() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<nobody@contoso.test>"));
    }

    @Test
    void highBackPressureRefusesMailFromWith452() {
        SessionFixture s = SessionFixture.withPolicies(clock -> {
            BackPressure pressure = new BackPressure(BackPressure.Settings.defaults(), clock);
            pressure.update(Resource.SubmissionQueue, 15_000);
            return new SessionPolicies(RecipientFilter.defaults(SessionFixture.DEMO), pressure, unlimitedRate(clock),
                SessionFixture.demoDirectory(), false);
        }).greeted();
        assertEquals(List.of("452 4.3.1 Insufficient system resources"), s.send("MAIL FROM:<kate@contoso.test>"));
        assertEquals(List.of("452 4.3.1 Insufficient system resources"), s.send("MAIL FROM:<x@fabrikam.example>"));
    }

    @Test
    void mediumSubmissionQueuePressureDelaysOutsidersAndLetsTheOrganizationFlow() {
        SessionFixture s = SessionFixture.withPolicies(clock -> {
            BackPressure pressure = new BackPressure(BackPressure.Settings.defaults(), clock);
            pressure.update(Resource.SubmissionQueue, 9_999);
            return new SessionPolicies(RecipientFilter.defaults(SessionFixture.DEMO), pressure, unlimitedRate(clock),
                SessionFixture.demoDirectory(), false);
        }).greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<kate@contoso.test>"));
        assertEquals(Duration.ZERO, s.last().delay());
        s.send("RSET");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<x@fabrikam.example>"));
        assertEquals(Duration.ofSeconds(10), s.last().delay());
    }
}
