package io.mailflow.core.organization;

import java.util.List;

/**
 * Organization model: what a mail flow rule does to the messages (or the recipients) its
 * conditions select, in Exchange's parameter names. Unset actions are null or empty. The
 * categorizer's {@code TransportRuleEngine} turns them into content edits and recipient changes;
 * parameters in {@link TransportRuleParameters}.
 *
 * @param prependSubject                     text put before the Subject, or null
 * @param setHeaderName                      the header field SetHeaderValue sets, or null
 * @param setHeaderValue                     its value, or null
 * @param removeHeader                       a header field removed from the message, or null
 * @param applyHtmlDisclaimerText            the disclaimer (HTML tags allowed), or null
 * @param applyHtmlDisclaimerLocation        Append or Prepend; null means Append
 * @param applyHtmlDisclaimerFallbackAction  when the body cannot take it; null means Wrap
 * @param redirectMessageTo                  identities the message goes to instead of the recipient
 * @param blindCopyTo                        identities added as Bcc recipients
 * @param addToRecipients                    identities added to the To field and the recipients
 * @param rejectMessageReasonText            NDR text; with the code, null means the default text
 * @param rejectMessageEnhancedStatusCode    5.7.1 or 5.7.900-5.7.999; null means 5.7.1 when rejecting
 * @param stopRuleProcessing                 later rules skip the recipients this rule applied to
 */
public record TransportRuleActions(String prependSubject,
                                   String setHeaderName,
                                   String setHeaderValue,
                                   String removeHeader,
                                   String applyHtmlDisclaimerText,
                                   TransportRule.DisclaimerLocation applyHtmlDisclaimerLocation,
                                   TransportRule.DisclaimerFallbackAction applyHtmlDisclaimerFallbackAction,
                                   List<String> redirectMessageTo,
                                   List<String> blindCopyTo,
                                   List<String> addToRecipients,
                                   String rejectMessageReasonText,
                                   String rejectMessageEnhancedStatusCode,
                                   boolean stopRuleProcessing) {

    /** Exchange's reason when RejectMessageEnhancedStatusCode is given without RejectMessageReasonText. */
    public static final String DEFAULT_REJECT_TEXT = "Delivery not authorized, message refused";
    /** Exchange's code when RejectMessageReasonText is given without RejectMessageEnhancedStatusCode. */
    public static final String DEFAULT_REJECT_CODE = "5.7.1";

    public static final TransportRuleActions NONE = new TransportRuleActions(null, null, null, null, null, null, null,
        List.of(), List.of(), List.of(), null, null, false);

    public TransportRuleActions {
        redirectMessageTo = List.copyOf(redirectMessageTo);
        blindCopyTo = List.copyOf(blindCopyTo);
        addToRecipients = List.copyOf(addToRecipients);
    }

    /** True when the rule rejects the message (either reject parameter given). */
    public boolean rejects() {
        return rejectMessageReasonText != null || rejectMessageEnhancedStatusCode != null;
    }

    /** The NDR status line, {@code 550 5.7.1 Delivery not authorized, message refused} by default. */
    public String rejectStatusLine() {
        String code = rejectMessageEnhancedStatusCode == null ? DEFAULT_REJECT_CODE : rejectMessageEnhancedStatusCode;
        String text = rejectMessageReasonText == null ? DEFAULT_REJECT_TEXT : rejectMessageReasonText;
        return "550 " + code + " " + text;
    }

    public TransportRule.DisclaimerLocation disclaimerLocation() {
        return applyHtmlDisclaimerLocation == null ? TransportRule.DisclaimerLocation.Append : applyHtmlDisclaimerLocation;
    }

    public TransportRule.DisclaimerFallbackAction disclaimerFallbackAction() {
        return applyHtmlDisclaimerFallbackAction == null ? TransportRule.DisclaimerFallbackAction.Wrap
            : applyHtmlDisclaimerFallbackAction;
    }

    /** A mutable copy, as Set-TransportRule changes some actions and keeps the rest. */
    public static final class Builder {
        private String prependSubject;
        private String setHeaderName;
        private String setHeaderValue;
        private String removeHeader;
        private String applyHtmlDisclaimerText;
        private TransportRule.DisclaimerLocation applyHtmlDisclaimerLocation;
        private TransportRule.DisclaimerFallbackAction applyHtmlDisclaimerFallbackAction;
        private List<String> redirectMessageTo;
        private List<String> blindCopyTo;
        private List<String> addToRecipients;
        private String rejectMessageReasonText;
        private String rejectMessageEnhancedStatusCode;
        private boolean stopRuleProcessing;

        private Builder(TransportRuleActions a) {
            prependSubject = a.prependSubject();
            setHeaderName = a.setHeaderName();
            setHeaderValue = a.setHeaderValue();
            removeHeader = a.removeHeader();
            applyHtmlDisclaimerText = a.applyHtmlDisclaimerText();
            applyHtmlDisclaimerLocation = a.applyHtmlDisclaimerLocation();
            applyHtmlDisclaimerFallbackAction = a.applyHtmlDisclaimerFallbackAction();
            redirectMessageTo = a.redirectMessageTo();
            blindCopyTo = a.blindCopyTo();
            addToRecipients = a.addToRecipients();
            rejectMessageReasonText = a.rejectMessageReasonText();
            rejectMessageEnhancedStatusCode = a.rejectMessageEnhancedStatusCode();
            stopRuleProcessing = a.stopRuleProcessing();
        }

        public static Builder from(TransportRuleActions actions) {
            return new Builder(actions);
        }

        public TransportRuleActions build() {
            return new TransportRuleActions(prependSubject, setHeaderName, setHeaderValue, removeHeader,
                applyHtmlDisclaimerText, applyHtmlDisclaimerLocation, applyHtmlDisclaimerFallbackAction,
                redirectMessageTo, blindCopyTo, addToRecipients, rejectMessageReasonText,
                rejectMessageEnhancedStatusCode, stopRuleProcessing);
        }

        public Builder prependSubject(String v) { prependSubject = v; return this; }
        public Builder setHeaderName(String v) { setHeaderName = v; return this; }
        public Builder setHeaderValue(String v) { setHeaderValue = v; return this; }
        public Builder removeHeader(String v) { removeHeader = v; return this; }
        public Builder applyHtmlDisclaimerText(String v) { applyHtmlDisclaimerText = v; return this; }
        public Builder applyHtmlDisclaimerLocation(TransportRule.DisclaimerLocation v) { applyHtmlDisclaimerLocation = v; return this; }
        public Builder applyHtmlDisclaimerFallbackAction(TransportRule.DisclaimerFallbackAction v) { applyHtmlDisclaimerFallbackAction = v; return this; }
        public Builder redirectMessageTo(List<String> v) { redirectMessageTo = List.copyOf(v); return this; }
        public Builder blindCopyTo(List<String> v) { blindCopyTo = List.copyOf(v); return this; }
        public Builder addToRecipients(List<String> v) { addToRecipients = List.copyOf(v); return this; }
        public Builder rejectMessageReasonText(String v) { rejectMessageReasonText = v; return this; }
        public Builder rejectMessageEnhancedStatusCode(String v) { rejectMessageEnhancedStatusCode = v; return this; }
        public Builder stopRuleProcessing(boolean v) { stopRuleProcessing = v; return this; }
    }
}
