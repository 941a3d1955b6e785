package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Form;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.ParamTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Organization model: the parameters of New-/Set-TransportRule, declared once (STYLE.md §4), in
 * the order {@code Get-TransportRule | fl} prints them: the rule's own properties, the conditions,
 * the exceptions ({@code ExceptIf…}), then the actions. The loader reads {@code TransportRules}
 * entries through this table and the admin shell sets and prints through it, so both accept the
 * same forms ({@code 10MB}, {@code "[EXT] "}, {@code NotInOrganization}) with the same problem texts.
 *
 * <p>Conditions implemented: From, FromAddressContainsWords, FromMemberOf, FromScope,
 * SenderDomainIs, SentTo, SentToMemberOf, SentToScope, RecipientDomainIs, SubjectContainsWords,
 * SubjectOrBodyContainsWords, HeaderContainsMessageHeader/-Words, HeaderMatchesMessageHeader/
 * -Patterns, MessageSizeOver, AttachmentSizeOver (greater than or equal, as Exchange's predicate
 * reference says; {@code AttachmentSizeOver 0} is therefore "has an attachment"). Actions:
 * PrependSubject, SetHeaderName/-Value, RemoveHeader, ApplyHtmlDisclaimer*, RedirectMessageTo,
 * BlindCopyTo, AddToRecipients, RejectMessageReasonText/-EnhancedStatusCode, StopRuleProcessing.
 */
public final class TransportRuleParameters {

    /** The Exchange limits on names, comments and disclaimers. */
    public static final int MAX_NAME = 64;
    public static final int MAX_COMMENTS = 1024;
    public static final int MAX_DISCLAIMER = 5000;

    /** New-/Set-TransportRule parameters Mailflow knows but does not act on: named as such, not as typos. */
    public static final List<String> NOT_IMPLEMENTED = List.of("ActivationDate", "ExpiryDate", "ADComparisonAttribute",
        "AnyOfToHeader", "AnyOfCcHeader", "AnyOfToCcHeader", "AnyOfRecipientAddressContainsWords",
        "AttachmentContainsWords", "AttachmentExtensionMatchesWords", "AttachmentNameMatchesPatterns",
        "BetweenMemberOf1", "BetweenMemberOf2", "CopyTo", "DeleteMessage", "FromAddressMatchesPatterns",
        "GenerateIncidentReport", "GenerateNotification", "ModerateMessageByUser", "Quarantine",
        "RecipientAddressContainsWords", "RouteMessageOutboundConnector", "SCLOver", "SetAuditSeverity", "SetSCL",
        "SubjectMatchesPatterns", "SubjectOrBodyMatchesPatterns", "WithImportance");

    private static final Form<List<String>> IDENTITIES =
        Forms.list(TransportRuleParameters::identity, s -> s, null);
    private static final Form<List<String>> WORDS = Forms.list(TransportRuleParameters::word, s -> s, null);
    private static final Form<List<String>> DOMAINS = Forms.list(TransportRuleParameters::domain, s -> s, null);
    private static final Form<List<String>> PATTERNS = Forms.list(TransportRuleParameters::pattern, s -> s, null);
    private static final Form<String> HEADER_NAME = Forms.text().check(TransportRuleParameters::isHeaderName,
        h -> "'" + h + "' is not a header field name (printable ASCII without spaces or ':')");
    private static final Form<ByteSize> SIZE = Forms.byteSize(0, Long.MAX_VALUE);

    public static final Param<TransportRule, TransportRule.Builder, String> NAME =
        p("Name", limited(MAX_NAME).check(n -> !n.isEmpty(), n -> "the name cannot be empty"), null,
            TransportRule::name, TransportRule.Builder::name);

    public static final Param<TransportRule, TransportRule.Builder, Integer> PRIORITY =
        p("Priority", Forms.integer(0, Integer.MAX_VALUE), null, TransportRule::priority, TransportRule.Builder::priority);

    public static final Param<TransportRule, TransportRule.Builder, TransportRule.State> STATE =
        p("State", Forms.enumeration(TransportRule.State.class), TransportRule.STATE, TransportRule::state,
            TransportRule.Builder::state);

    public static final Param<TransportRule, TransportRule.Builder, TransportRule.Mode> MODE =
        p("Mode", Forms.enumeration(TransportRule.Mode.class), TransportRule.MODE, TransportRule::mode,
            TransportRule.Builder::mode);

    public static final Param<TransportRule, TransportRule.Builder, String> COMMENTS =
        p("Comments", limited(MAX_COMMENTS), null, TransportRule::comments, TransportRule.Builder::comments).nullable();

    public static final Param<TransportRule, TransportRule.Builder, TransportRule.SenderAddressLocation> SENDER_ADDRESS_LOCATION =
        p("SenderAddressLocation", Forms.enumeration(TransportRule.SenderAddressLocation.class),
            TransportRule.SENDER_ADDRESS_LOCATION, TransportRule::senderAddressLocation,
            TransportRule.Builder::senderAddressLocation);

    /** The table: Format-List order, the names Mailflow does not implement, and the cross-parameter rules. */
    public static final ParamTable<TransportRule, TransportRule.Builder> TABLE = new ParamTable<>(all(),
        NOT_IMPLEMENTED, TransportRule.Builder::from, TransportRule.Builder::build, TransportRuleParameters::check);

    private TransportRuleParameters() {
    }

    private static List<Param<TransportRule, TransportRule.Builder, ?>> all() {
        List<Param<TransportRule, TransportRule.Builder, ?>> all = new ArrayList<>(
            List.of(NAME, PRIORITY, STATE, MODE, COMMENTS, SENDER_ADDRESS_LOCATION));
        all.addAll(predicates("", TransportRule::conditions, TransportRule.Builder::conditions));
        all.addAll(predicates("ExceptIf", TransportRule::exceptions, TransportRule.Builder::exceptions));
        all.addAll(actions());
        return all;
    }

    /** The predicates once as conditions ({@code prefix} empty) and once as exceptions ({@code ExceptIf}). */
    private static List<Param<TransportRule, TransportRule.Builder, ?>> predicates(String prefix,
            Function<TransportRule, TransportRulePredicates> read,
            Function<TransportRule.Builder, TransportRulePredicates.Builder> write) {
        return List.of(
            p(prefix + "From", IDENTITIES, List.of(), r -> read.apply(r).from(), (b, v) -> write.apply(b).from(v)),
            p(prefix + "FromAddressContainsWords", WORDS, List.of(), r -> read.apply(r).fromAddressContainsWords(),
                (b, v) -> write.apply(b).fromAddressContainsWords(v)),
            p(prefix + "FromMemberOf", IDENTITIES, List.of(), r -> read.apply(r).fromMemberOf(),
                (b, v) -> write.apply(b).fromMemberOf(v)),
            p(prefix + "FromScope", Forms.enumeration(TransportRule.FromScope.class), null,
                r -> read.apply(r).fromScope(), (b, v) -> write.apply(b).fromScope(v)).nullable(),
            p(prefix + "SenderDomainIs", DOMAINS, List.of(), r -> read.apply(r).senderDomainIs(),
                (b, v) -> write.apply(b).senderDomainIs(v)),
            p(prefix + "SentTo", IDENTITIES, List.of(), r -> read.apply(r).sentTo(), (b, v) -> write.apply(b).sentTo(v)),
            p(prefix + "SentToMemberOf", IDENTITIES, List.of(), r -> read.apply(r).sentToMemberOf(),
                (b, v) -> write.apply(b).sentToMemberOf(v)),
            p(prefix + "SentToScope", Forms.enumeration(TransportRule.ToScope.class), null,
                r -> read.apply(r).sentToScope(), (b, v) -> write.apply(b).sentToScope(v)).nullable(),
            p(prefix + "RecipientDomainIs", DOMAINS, List.of(), r -> read.apply(r).recipientDomainIs(),
                (b, v) -> write.apply(b).recipientDomainIs(v)),
            p(prefix + "SubjectContainsWords", WORDS, List.of(), r -> read.apply(r).subjectContainsWords(),
                (b, v) -> write.apply(b).subjectContainsWords(v)),
            p(prefix + "SubjectOrBodyContainsWords", WORDS, List.of(), r -> read.apply(r).subjectOrBodyContainsWords(),
                (b, v) -> write.apply(b).subjectOrBodyContainsWords(v)),
            p(prefix + "HeaderContainsMessageHeader", HEADER_NAME, null,
                r -> read.apply(r).headerContainsMessageHeader(),
                (b, v) -> write.apply(b).headerContainsMessageHeader(v)).nullable(),
            p(prefix + "HeaderContainsWords", WORDS, List.of(), r -> read.apply(r).headerContainsWords(),
                (b, v) -> write.apply(b).headerContainsWords(v)),
            p(prefix + "HeaderMatchesMessageHeader", HEADER_NAME, null, r -> read.apply(r).headerMatchesMessageHeader(),
                (b, v) -> write.apply(b).headerMatchesMessageHeader(v)).nullable(),
            p(prefix + "HeaderMatchesPatterns", PATTERNS, List.of(), r -> read.apply(r).headerMatchesPatterns(),
                (b, v) -> write.apply(b).headerMatchesPatterns(v)),
            p(prefix + "MessageSizeOver", SIZE, null, r -> read.apply(r).messageSizeOver(),
                (b, v) -> write.apply(b).messageSizeOver(v)).nullable(),
            p(prefix + "AttachmentSizeOver", SIZE, null, r -> read.apply(r).attachmentSizeOver(),
                (b, v) -> write.apply(b).attachmentSizeOver(v)).nullable());
    }

    private static List<Param<TransportRule, TransportRule.Builder, ?>> actions() {
        Function<TransportRule, TransportRuleActions> read = TransportRule::actions;
        Function<TransportRule.Builder, TransportRuleActions.Builder> write = TransportRule.Builder::actions;
        return List.of(
            p("PrependSubject", oneLine(255), null, r -> read.apply(r).prependSubject(),
                (b, v) -> write.apply(b).prependSubject(v)).nullable(),
            p("SetHeaderName", HEADER_NAME, null, r -> read.apply(r).setHeaderName(),
                (b, v) -> write.apply(b).setHeaderName(v)).nullable(),
            p("SetHeaderValue", oneLine(998), null, r -> read.apply(r).setHeaderValue(),
                (b, v) -> write.apply(b).setHeaderValue(v)).nullable(),
            p("RemoveHeader", HEADER_NAME, null, r -> read.apply(r).removeHeader(),
                (b, v) -> write.apply(b).removeHeader(v)).nullable(),
            p("ApplyHtmlDisclaimerText", limited(MAX_DISCLAIMER).check(t -> !t.isEmpty(),
                    t -> "the disclaimer cannot be empty"), null, r -> read.apply(r).applyHtmlDisclaimerText(),
                (b, v) -> write.apply(b).applyHtmlDisclaimerText(v)).nullable(),
            p("ApplyHtmlDisclaimerLocation", Forms.enumeration(TransportRule.DisclaimerLocation.class), null,
                r -> read.apply(r).applyHtmlDisclaimerLocation(),
                (b, v) -> write.apply(b).applyHtmlDisclaimerLocation(v)).nullable(),
            p("ApplyHtmlDisclaimerFallbackAction", Forms.enumeration(TransportRule.DisclaimerFallbackAction.class), null,
                r -> read.apply(r).applyHtmlDisclaimerFallbackAction(),
                (b, v) -> write.apply(b).applyHtmlDisclaimerFallbackAction(v)).nullable(),
            p("RedirectMessageTo", IDENTITIES, List.of(), r -> read.apply(r).redirectMessageTo(),
                (b, v) -> write.apply(b).redirectMessageTo(v)),
            p("BlindCopyTo", IDENTITIES, List.of(), r -> read.apply(r).blindCopyTo(), (b, v) -> write.apply(b).blindCopyTo(v)),
            p("AddToRecipients", IDENTITIES, List.of(), r -> read.apply(r).addToRecipients(),
                (b, v) -> write.apply(b).addToRecipients(v)),
            p("RejectMessageReasonText", oneLine(512).check(t -> !t.isEmpty(), t -> "the reason cannot be empty"), null,
                r -> read.apply(r).rejectMessageReasonText(),
                (b, v) -> write.apply(b).rejectMessageReasonText(v)).nullable(),
            p("RejectMessageEnhancedStatusCode", Forms.text().check(TransportRuleParameters::isRejectCode,
                    c -> "'" + c + "' is not 5.7.1 or a code from 5.7.900 through 5.7.999"), null,
                r -> read.apply(r).rejectMessageEnhancedStatusCode(),
                (b, v) -> write.apply(b).rejectMessageEnhancedStatusCode(v)).nullable(),
            p("StopRuleProcessing", Forms.bool(), false, r -> read.apply(r).stopRuleProcessing(),
                (b, v) -> write.apply(b).stopRuleProcessing(v)));
    }

    private static <T> Param<TransportRule, TransportRule.Builder, T> p(String name, Form<T> form, T defaultValue,
            Function<TransportRule, T> get, BiConsumer<TransportRule.Builder, T> set) {
        return Param.of(name, form, defaultValue, get, set);
    }

    // ---- the table's entry points -------------------------------------------------------------

    public static Optional<Param<TransportRule, TransportRule.Builder, ?>> byName(String name) {
        return TABLE.byName(name);
    }

    /** Format-List: every property of {@code rule}, in order, printed as Exchange prints it. */
    public static Map<String, String> toDisplay(TransportRule rule) {
        return TABLE.toDisplay(rule);
    }

    /**
     * Set-TransportRule on one rule: applies every change or none.
     *
     * @throws ParamException with every problem, one {@code Parameter: message} line each
     */
    public static TransportRule set(TransportRule rule, Map<String, String> changes) {
        return TABLE.set(rule, changes);
    }

    /**
     * The cross-parameter rules: the header predicates and SetHeaderName/SetHeaderValue go in
     * pairs, and the disclaimer's location and fallback need the disclaimer text.
     *
     * @param given the parameters just set, so the problem lands on the one the administrator wrote
     */
    public static List<ParamProblem> check(TransportRule r, Set<String> given) {
        List<ParamProblem> problems = new ArrayList<>();
        for (String prefix : List.of("", "ExceptIf")) {
            TransportRulePredicates p = prefix.isEmpty() ? r.conditions() : r.exceptions();
            pair(problems, given, prefix + "HeaderContainsMessageHeader", p.headerContainsMessageHeader() != null,
                prefix + "HeaderContainsWords", !p.headerContainsWords().isEmpty());
            pair(problems, given, prefix + "HeaderMatchesMessageHeader", p.headerMatchesMessageHeader() != null,
                prefix + "HeaderMatchesPatterns", !p.headerMatchesPatterns().isEmpty());
        }
        TransportRuleActions a = r.actions();
        pair(problems, given, "SetHeaderName", a.setHeaderName() != null, "SetHeaderValue", a.setHeaderValue() != null);
        if (a.applyHtmlDisclaimerText() == null) {
            for (String dependent : List.of("ApplyHtmlDisclaimerLocation", "ApplyHtmlDisclaimerFallbackAction")) {
                boolean set = dependent.endsWith("Location") ? a.applyHtmlDisclaimerLocation() != null
                    : a.applyHtmlDisclaimerFallbackAction() != null;
                if (set) {
                    problems.add(new ParamProblem(dependent, dependent + " needs ApplyHtmlDisclaimerText"));
                }
            }
        }
        return problems;
    }

    private static void pair(List<ParamProblem> problems, Set<String> given, String first, boolean hasFirst,
                             String second, boolean hasSecond) {
        if (hasFirst == hasSecond) {
            return;
        }
        String missing = hasFirst ? second : first;
        String present = hasFirst ? first : second;
        problems.add(new ParamProblem(given.contains(present) || !given.contains(missing) ? present : missing,
            first + " and " + second + " are used together; " + missing + " is missing"));
    }

    // ---- the rule list ------------------------------------------------------------------------

    /** {@code rules} in Priority order (ties keep their order), renumbered 0..n-1. */
    public static List<TransportRule> normalise(List<TransportRule> rules) {
        List<TransportRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(TransportRule::priority));
        List<TransportRule> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.add(sorted.get(i).withPriority(i));
        }
        return List.copyOf(out);
    }

    /**
     * {@code rule} put at {@code priority} among {@code others}: the rule that held that priority,
     * and every one after it, moves down by one, as Set-TransportRule -Priority does.
     */
    public static List<TransportRule> place(List<TransportRule> others, TransportRule rule, int priority) {
        List<TransportRule> list = new ArrayList<>(normalise(others));
        list.add(Math.min(Math.max(priority, 0), list.size()), rule);
        List<TransportRule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get(i).withPriority(i));
        }
        return List.copyOf(out);
    }

    /** The rule named {@code name} in any case. */
    public static Optional<TransportRule> find(List<TransportRule> rules, String name) {
        return rules.stream().filter(r -> r.name().equalsIgnoreCase(name.strip())).findFirst();
    }

    /**
     * The recipients the rule names that the organization does not have: a name or alias must be
     * a recipient, a group condition must name a distribution group, and SentTo takes mailboxes
     * (a group is expanded before rules run, so SentToMemberOf is the way to name its members).
     * SMTP addresses are taken as they are: senders and redirect targets may be outside.
     */
    public static List<ParamProblem> references(TransportRule rule, Organization organization) {
        List<ParamProblem> problems = new ArrayList<>();
        for (String prefix : List.of("", "ExceptIf")) {
            TransportRulePredicates p = prefix.isEmpty() ? rule.conditions() : rule.exceptions();
            recipients(problems, organization, prefix + "From", p.from(), false);
            recipients(problems, organization, prefix + "SentTo", p.sentTo(), false);
            groups(problems, organization, prefix + "FromMemberOf", p.fromMemberOf());
            groups(problems, organization, prefix + "SentToMemberOf", p.sentToMemberOf());
        }
        recipients(problems, organization, "RedirectMessageTo", rule.actions().redirectMessageTo(), true);
        recipients(problems, organization, "BlindCopyTo", rule.actions().blindCopyTo(), true);
        recipients(problems, organization, "AddToRecipients", rule.actions().addToRecipients(), true);
        return problems;
    }

    private static void recipients(List<ParamProblem> problems, Organization org, String parameter,
                                   List<String> identities, boolean groupsAllowed) {
        for (String id : identities) {
            if (id.contains("@") && org.findByIdentity(id).isEmpty()) {
                continue;
            }
            Optional<Recipient> found = org.findByIdentity(id);
            if (found.isEmpty()) {
                problems.add(new ParamProblem(parameter, notFound(id)));
            } else if (!groupsAllowed && found.get() instanceof DistributionGroup) {
                problems.add(new ParamProblem(parameter, "'" + id + "' is a distribution group; " + parameter
                    + " takes mailboxes (use " + parameter + "MemberOf for the members of a group)"));
            }
        }
    }

    private static void groups(List<ParamProblem> problems, Organization org, String parameter, List<String> identities) {
        for (String id : identities) {
            Optional<Recipient> found = org.findByIdentity(id);
            if (found.isEmpty()) {
                problems.add(new ParamProblem(parameter, notFound(id)));
            } else if (!(found.get() instanceof DistributionGroup)) {
                problems.add(new ParamProblem(parameter, "'" + id + "' is not a distribution group"));
            }
        }
    }

    /** Exchange's words for a RecipientIdParameter that names nobody. */
    public static String notFound(String identity) {
        return "Couldn't find object \"" + identity + "\". Please make sure that it was spelled correctly or specify a "
            + "different object.";
    }

    // ---- value forms --------------------------------------------------------------------------

    private static Form<String> limited(int max) {
        return Forms.text().check(t -> t.length() <= max, t -> "the value is " + t.length() + " characters long; at most "
            + max + " are allowed");
    }

    private static Form<String> oneLine(int max) {
        return limited(max).check(t -> t.indexOf('\r') < 0 && t.indexOf('\n') < 0, t -> "must be one line");
    }

    private static String identity(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty recipient");
        }
        if (text.contains("@") && SmtpAddress.parse(text, true).isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not an SMTP address such as kate@contoso.test");
        }
        return text;
    }

    private static String word(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty word");
        }
        return text;
    }

    private static String domain(String text) {
        if (!ReceiveConnectorParameters.isDomainName(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a domain name such as contoso.com");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    private static String pattern(String text) {
        try {
            Pattern.compile(text);
            return text;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a regular expression: " + e.getDescription());
        }
    }

    /** RFC 5322 §3.6.8: printable US-ASCII except colon. */
    static boolean isHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }

    /** 5.7.1, or 5.7.900 through 5.7.999: the codes Exchange lets a rule reject with. */
    static boolean isRejectCode(String code) {
        if (code.equals("5.7.1")) {
            return true;
        }
        return code.matches("5\\.7\\.9[0-9][0-9]");
    }
}
