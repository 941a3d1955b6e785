package io.mailflow.server.admin.queues;

import java.util.List;

/**
 * Queue viewer: what the queue cmdlets ({@link QueueCmdlets}) ask of the Transport service of one
 * server, Exchange's "Queue Viewer" interface. The cmdlets resolve what the administrator typed
 * to exact identities and check {@link QueueOperationRules} before calling; an implementation
 * still refuses, with {@link QueueOperationException}, what it cannot do at that moment (the
 * message left the queue meanwhile, say), and applies the same rules so that every caller gets
 * the same answers.
 *
 * <p>Identities passed in are exact, as {@link QueueInfo#identity()} and
 * {@link MessageInfo#identity()} give them. Snapshots may be stale the moment they are returned;
 * the operations act on the live queues.
 */
public interface QueueViewer {

    /** The server these queues are on ({@code EX01}): the first part of every identity. */
    String serverName();

    /**
     * Every queue of the server: Submission, Unreachable, Poison (left out while empty, as
     * Exchange hides it) and one delivery queue per NextHopSolutionKey.
     */
    List<QueueInfo> queues();

    /** Every message copy in every queue, each with the identity of its queue. */
    List<MessageInfo> messages();

    /**
     * Retry-Queue: connects to the next hop now instead of at NextRetryTime; with
     * {@code resubmit}, sends the queue's messages back to the categorizer (Submission queue)
     * to be routed again, which is the only way to retry the Unreachable queue.
     *
     * @return the queue after the operation
     */
    QueueInfo retryQueue(String queueIdentity, boolean resubmit);

    /** Suspend-Queue: stops transmission; messages still enter. Returns the queue after it. */
    QueueInfo suspendQueue(String queueIdentity);

    /** Resume-Queue: transmission starts again. Returns the queue after it. */
    QueueInfo resumeQueue(String queueIdentity);

    /**
     * Suspend-Message: stops this copy from being transmitted; a copy being transmitted becomes
     * PendingSuspend and suspends when the transmission ends. Returns the copy after it.
     */
    MessageInfo suspendMessage(String messageIdentity);

    /** Resume-Message: the copy goes back to Ready (a poison message back to submission). */
    MessageInfo resumeMessage(String messageIdentity);

    /**
     * Remove-Message: deletes this copy, first sending its sender a non-delivery report when
     * {@code withNdr}; a copy being transmitted becomes PendingRemove and goes when the
     * transmission ends.
     *
     * @return the copy as it was when removed (or PendingRemove)
     */
    MessageInfo removeMessage(String messageIdentity, boolean withNdr);

    /**
     * Export-Message: the copy's full content as an RFC 5322 message (.eml), envelope headers
     * included. Only a Suspended copy can be exported, as Exchange requires.
     */
    byte[] exportMessage(String messageIdentity);
}
