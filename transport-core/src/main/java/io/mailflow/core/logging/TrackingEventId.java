package io.mailflow.core.logging;

/**
 * Message tracking: the event-id column, Exchange's names verbatim (exchange.md §7.1). Every
 * stage writes the ones it owns: the receive side RECEIVE, the categorizer SUBMIT, RESOLVE,
 * EXPAND, REDIRECT, TRANSFER, the queues DEFER, FAIL, POISONMESSAGE, delivery SEND, DELIVER.
 * The full Exchange list is here so Exchange's own logs read back too.
 */
public enum TrackingEventId {
    AGENTINFO,
    BADMAIL,
    CLIENTSUBMISSION,
    DEFER,
    DELIVER,
    DELIVERFAIL,
    DROP,
    DSN,
    DUPLICATEDELIVER,
    DUPLICATEEXPAND,
    DUPLICATEREDIRECT,
    EXPAND,
    FAIL,
    HADISCARD,
    HARECEIVE,
    HAREDIRECT,
    HAREDIRECTFAIL,
    INITMESSAGECREATED,
    LOAD,
    MODERATIONEXPIRE,
    MODERATORAPPROVE,
    MODERATORREJECT,
    MODERATORSALLNDR,
    NOTIFYMAPI,
    NOTIFYSHADOW,
    POISONMESSAGE,
    PROCESS,
    PROCESSMEETINGMESSAGE,
    RECEIVE,
    REDIRECT,
    RESOLVE,
    RESUBMIT,
    RESUBMITDEFER,
    RESUBMITFAIL,
    SEND,
    SUBMIT,
    SUBMITDEFER,
    SUBMITFAIL,
    SUPPRESSED,
    THROTTLE,
    TRANSFER
}
