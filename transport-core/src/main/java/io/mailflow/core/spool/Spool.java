package io.mailflow.core.spool;

import io.mailflow.core.envelope.Envelope;

import java.util.List;

/**
 * The Transport service's durable store (Exchange's mail.que): every acknowledged message lives
 * here, envelope and content, until each recipient is delivered, failed with a DSN, or removed
 * by an administrator. DESIGN.md "Durability": a call that returns has been synced to disk;
 * concurrent callers share each sync (group commit). Implementations are thread-safe.
 */
public interface Spool extends AutoCloseable {

    /** A fresh InternalId, unique for the life of this spool, also across restarts. */
    long nextInternalId();

    /** Stores a new message; returns only after envelope and content are durable. */
    void store(Envelope envelope, byte[] content);

    /** Replaces the envelope of a stored message (recipient progress); durable on return. */
    void update(Envelope envelope);

    /** The content as stored. */
    byte[] content(long internalId);

    /** Deletes envelope and content; durable on return. Unknown ids are ignored. */
    void remove(long internalId);

    /**
     * Deletes a message whose every recipient is settled, without waiting for the disk: the
     * delete is in the write-ahead log but not synced. A crash may bring the message back, so
     * use it only where finishing a message twice is harmless (mailbox delivery finds its own
     * earlier copy). It saves one fsync per message.
     */
    void removeSettled(long internalId);

    /**
     * Marks a message as being worked on (categorized, or handed to a delivery agent) until
     * {@link #clearInProcess}. Written to the write-ahead log without a sync: it survives a crash
     * of the process, which is what it is for, at no fsync's cost.
     */
    void markInProcess(long internalId);

    void clearInProcess(long internalId);

    /**
     * Once, at start: every message still marked in process was being worked on when the process
     * died; its crash count goes up by one (synced) and the mark is cleared. Returns the crash
     * count of every stored message that has one, for PoisonThreshold.
     */
    java.util.Map<Long, Integer> countCrashes();

    /** Forgets a message's crash count (Resume-Message on the Poison queue). */
    void clearCrashes(long internalId);

    /** Every stored envelope, in InternalId order: what a restart must finish. */
    List<Envelope> recover();

    /** Messages held now and bytes used on disk, for back pressure and the queue viewer. */
    SpoolStats stats();

    @Override
    void close();

    record SpoolStats(long messageCount, long diskBytes) {
    }
}
