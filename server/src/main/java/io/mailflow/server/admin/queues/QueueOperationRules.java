package io.mailflow.server.admin.queues;

import java.util.Optional;

/**
 * Queue viewer: which queue and message operations Exchange allows in which state
 * (exchange.md §5.3, §5.4), and the state they leave behind. Each check returns the refusal as
 * the administrator reads it, or empty when the operation may go ahead. The cmdlets check before
 * calling {@link QueueViewer}, so -WhatIf tells the truth; implementations check again against
 * the live queue.
 *
 * <ul>
 *   <li>Retry-Queue: only a queue in Retry, unless -Resubmit; the Unreachable queue only with
 *       -Resubmit; never the poison message queue; the Submission queue can't be resubmitted.</li>
 *   <li>Suspend-Queue / Resume-Queue: any queue but Poison; not twice.</li>
 *   <li>Suspend-Message: not twice, not while being removed; a copy being transmitted (Active)
 *       becomes PendingSuspend. Resume-Message: only a suspended copy.</li>
 *   <li>Remove-Message: not twice; an Active copy becomes PendingRemove.</li>
 *   <li>Export-Message: only a Suspended copy (poison messages always are).</li>
 * </ul>
 */
public final class QueueOperationRules {
    private QueueOperationRules() {}

    public static Optional<String> retryQueue(QueueInfo queue, boolean resubmit) {
        if (queue.isPoison()) {
            return refuse("The poison message queue \"" + queue.identity() + "\" can't be retried. "
                + "Use Resume-Message to release its messages.");
        }
        if (resubmit && queue.isSubmission()) {
            return refuse("The queue \"" + queue.identity() + "\" can't be resubmitted: its messages haven't been "
                + "categorized yet.");
        }
        if (!resubmit && queue.isUnreachable()) {
            return refuse("The Unreachable queue \"" + queue.identity() + "\" can only be retried with the Resubmit "
                + "parameter: Retry-Queue -Identity " + queue.identity() + " -Resubmit $true.");
        }
        if (!resubmit && queue.status() != QueueInfo.Status.Retry) {
            return refuse("The queue \"" + queue.identity() + "\" can't be retried because its status is "
                + queue.status() + ". Only a queue in Retry status can be retried; use -Resubmit $true to route its "
                + "messages again.");
        }
        return Optional.empty();
    }

    public static Optional<String> suspendQueue(QueueInfo queue) {
        if (queue.isPoison()) {
            return refuse("The poison message queue \"" + queue.identity() + "\" can't be suspended: its messages "
                + "are already suspended.");
        }
        if (queue.status() == QueueInfo.Status.Suspended) {
            return refuse("The queue \"" + queue.identity() + "\" is already suspended.");
        }
        return Optional.empty();
    }

    public static Optional<String> resumeQueue(QueueInfo queue) {
        if (queue.status() != QueueInfo.Status.Suspended) {
            return refuse("The queue \"" + queue.identity() + "\" isn't suspended; its status is "
                + queue.status() + ".");
        }
        return Optional.empty();
    }

    public static Optional<String> suspendMessage(MessageInfo message) {
        return switch (message.status()) {
            case Suspended, PendingSuspend -> refuse("The message \"" + message.identity() + "\" is already suspended.");
            case PendingRemove -> refuse("The message \"" + message.identity() + "\" is being removed and can't be "
                + "suspended.");
            default -> Optional.empty();
        };
    }

    public static Optional<String> resumeMessage(MessageInfo message) {
        return switch (message.status()) {
            case Suspended, PendingSuspend -> Optional.empty();
            default -> refuse("The message \"" + message.identity() + "\" isn't suspended; its status is "
                + message.status() + ".");
        };
    }

    public static Optional<String> removeMessage(MessageInfo message) {
        if (message.status() == MessageInfo.Status.PendingRemove) {
            return refuse("The message \"" + message.identity() + "\" is already being removed.");
        }
        return Optional.empty();
    }

    public static Optional<String> exportMessage(MessageInfo message) {
        if (message.status() != MessageInfo.Status.Suspended) {
            return refuse("The message \"" + message.identity() + "\" can't be exported because its status is "
                + message.status() + ". Suspend it with Suspend-Message before exporting it.");
        }
        return Optional.empty();
    }

    /** Suspended, or PendingSuspend for a copy being transmitted. */
    public static MessageInfo.Status statusAfterSuspend(MessageInfo message) {
        return message.status() == MessageInfo.Status.Active ? MessageInfo.Status.PendingSuspend
            : MessageInfo.Status.Suspended;
    }

    /** Whether Remove-Message deletes the copy at once, rather than marking it PendingRemove. */
    public static boolean removesAtOnce(MessageInfo message) {
        return message.status() != MessageInfo.Status.Active;
    }

    private static Optional<String> refuse(String text) {
        return Optional.of(text);
    }
}
