package io.mailflow.core.spool;

import io.mailflow.core.envelope.Envelope;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * RocksDbSpool: the Transport service's spool (Exchange's mail.que) on embedded RocksDB. Receive
 * sessions store a message here before their 250; the categorizer and delivery queues update
 * recipient progress; delivery removes a settled message; the server recovers all of them at start.
 * Every write is a synced WAL write, and threads writing at the same time share one fsync
 * (RocksDB's write group), which is DESIGN.md "Durability".
 * Layout: column families {@code envelopes} (EnvelopeCodec records) and {@code content}, both keyed
 * by the 8-byte big-endian InternalId so iteration runs in id order; {@code default} holds the
 * InternalId high-water mark.
 */
public final class RocksDbSpool implements Spool {

    /** InternalIds reserved by each synced high-water mark write; a restart skips the unused rest. */
    static final long ID_BLOCK = 10_000;

    private static final byte[] HIGH_WATER_MARK = "internal-id-high-water-mark".getBytes(StandardCharsets.US_ASCII);
    /** Meta keys: a message worked on right now, and how many crashes a message has seen. */
    private static final byte IN_PROCESS = 'p';
    private static final byte CRASHES = 'c';
    private static final byte[] ENVELOPES = "envelopes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.US_ASCII);

    // Messages are small and most leave within seconds: large memtables let a message be stored
    // and deleted before it is ever flushed to an SST file.
    private static final long ENVELOPE_WRITE_BUFFER = 16L << 20;
    private static final long CONTENT_WRITE_BUFFER = 64L << 20;
    // The default family is written once per ID_BLOCK ids; without a cap its unflushed entry would
    // keep every WAL file alive. Past this size RocksDB flushes it and old WAL files go.
    private static final long MAX_TOTAL_WAL = 256L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final List<RocksObject> options;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle envelopes;
    private final ColumnFamilyHandle content;
    private final WriteOptions syncWrite;
    /** Written to the WAL, not synced: for deletes a crash may safely undo (see removeSettled). */
    private final WriteOptions unsyncedWrite;

    private final AtomicLong nextId;
    /** Ids below this are covered by a durable high-water mark and may be handed out. */
    private volatile long reservedLimit;
    private final Object reserveLock = new Object();
    private final AtomicLong messageCount;

    /**
     * Operations in flight per InternalId. Writes to one message run one at a time, so the
     * existence check and the write cannot interleave with a remove (the count stays exact and an
     * update cannot bring back a removed envelope); writes to different messages never wait for
     * each other, which is what lets RocksDB group their fsyncs.
     */
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> busyIds = new ConcurrentHashMap<>();
    /** Shared by every operation, exclusive for close: no native call may run on a closed database. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private RocksDbSpool(Path directory, RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options,
                         WriteOptions syncWrite, WriteOptions unsyncedWrite, long firstId, long messageCount) {
        this.directory = directory;
        this.db = db;
        this.handles = handles;
        this.options = options;
        this.meta = handles.get(0);
        this.envelopes = handles.get(1);
        this.content = handles.get(2);
        this.syncWrite = syncWrite;
        this.unsyncedWrite = unsyncedWrite;
        this.nextId = new AtomicLong(firstId);
        this.reservedLimit = firstId;
        this.messageCount = new AtomicLong(messageCount);
    }

    /** Opens the spool in {@code directory}, creating it when absent. */
    public static RocksDbSpool open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SpoolException("cannot create spool directory " + directory + ": " + e, e);
        }
        List<RocksObject> options = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            DBOptions dbOptions = track(options, new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setIncreaseParallelism(2)
                .setMaxBackgroundJobs(2)
                .setMaxTotalWalSize(MAX_TOTAL_WAL)
                .setKeepLogFileNum(5));
            // Bloom filters make the existence check before each write cheap once data reaches SST files.
            BloomFilter bloom = track(options, new BloomFilter(10));
            ColumnFamilyOptions metaOptions = track(options, new ColumnFamilyOptions());
            ColumnFamilyOptions envelopeOptions = track(options, new ColumnFamilyOptions()
                .setWriteBufferSize(ENVELOPE_WRITE_BUFFER)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom)));
            // Content is short-lived and often already encoded (base64, compressed attachments).
            ColumnFamilyOptions contentOptions = track(options, new ColumnFamilyOptions()
                .setWriteBufferSize(CONTENT_WRITE_BUFFER)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom)));
            WriteOptions syncWrite = track(options, new WriteOptions().setSync(true));
            WriteOptions unsyncedWrite = track(options, new WriteOptions().setSync(false));

            db = RocksDB.open(dbOptions, directory.toString(), List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
                new ColumnFamilyDescriptor(ENVELOPES, envelopeOptions),
                new ColumnFamilyDescriptor(CONTENT, contentOptions)), handles);

            byte[] mark = db.get(handles.get(0), HIGH_WATER_MARK);
            long highWaterMark = mark == null ? 0 : ByteBuffer.wrap(mark).getLong();
            long count = 0;
            long highestStored = 0;
            try (RocksIterator it = db.newIterator(handles.get(1))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    count++;
                    highestStored = ByteBuffer.wrap(it.key()).getLong();
                }
                it.status();
            }
            // Ids below the mark may have been handed out before a crash; stored ids certainly were.
            long firstId = Math.max(1, Math.max(highWaterMark, highestStored + 1));
            return new RocksDbSpool(directory, db, handles, options, syncWrite, unsyncedWrite, firstId, count);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            closeAll(options);
            throw new SpoolException("cannot open spool at " + directory + ": " + describe(e), e);
        }
    }

    @Override
    public long nextInternalId() {
        ensureOpen();
        long id = nextId.getAndIncrement();
        if (id >= reservedLimit) {
            reserveThrough(id);
        }
        return id;
    }

    // One synced write per ID_BLOCK ids; callers wait here only at a block boundary.
    private void reserveThrough(long id) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            synchronized (reserveLock) {
                while (id >= reservedLimit) {
                    long limit = id + ID_BLOCK;
                    db.put(meta, syncWrite, HIGH_WATER_MARK, ByteBuffer.allocate(Long.BYTES).putLong(limit).array());
                    reservedLimit = limit;
                }
            }
        } catch (RocksDBException e) {
            throw failure("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void store(Envelope envelope, byte[] messageContent) {
        long id = envelope.internalId();
        byte[] key = key(id);
        byte[] record = EnvelopeCodec.encode(envelope);
        exclusively(id, () -> {
            if (isStored(key)) {
                throw new SpoolException("InternalId " + id + " is already stored");
            }
            // One batch: a crash leaves both envelope and content, or neither.
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(envelopes, key, record);
                batch.put(content, key, messageContent);
                db.write(syncWrite, batch);
            }
            messageCount.incrementAndGet();
        });
    }

    @Override
    public void update(Envelope envelope) {
        long id = envelope.internalId();
        byte[] key = key(id);
        byte[] record = EnvelopeCodec.encode(envelope);
        exclusively(id, () -> {
            if (!isStored(key)) {
                throw new SpoolException("no stored message with InternalId " + id);
            }
            db.put(envelopes, syncWrite, key, record);
        });
    }

    @Override
    public byte[] content(long internalId) {
        byte[] key = key(internalId);
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            byte[] value = db.get(content, key);
            if (value == null) {
                throw new SpoolException("no stored message with InternalId " + internalId);
            }
            return value;
        } catch (RocksDBException e) {
            throw failure("read", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void remove(long internalId) {
        delete(internalId, syncWrite);
    }

    @Override
    public void removeSettled(long internalId) {
        delete(internalId, unsyncedWrite);
    }

    private void delete(long internalId, WriteOptions how) {
        byte[] key = key(internalId);
        exclusively(internalId, () -> {
            if (!isStored(key)) {
                return;
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(envelopes, key);
                batch.delete(content, key);
                batch.delete(meta, metaKey(IN_PROCESS, internalId));
                batch.delete(meta, metaKey(CRASHES, internalId));
                db.write(how, batch);
            }
            messageCount.decrementAndGet();
        });
    }

    @Override
    public List<Envelope> recover() {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            List<Envelope> recovered = new ArrayList<>();
            try (RocksIterator it = db.newIterator(envelopes)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    long id = ByteBuffer.wrap(it.key()).getLong();
                    Envelope envelope;
                    try {
                        envelope = EnvelopeCodec.decode(it.value());
                    } catch (SpoolException e) {
                        throw new SpoolException("cannot recover InternalId " + id + ": " + e.getMessage(), e);
                    }
                    if (envelope.internalId() != id) {
                        throw new SpoolException("cannot recover InternalId " + id + ": record holds InternalId "
                            + envelope.internalId());
                    }
                    recovered.add(envelope);
                }
                it.status();
            }
            return recovered;
        } catch (RocksDBException e) {
            throw failure("read", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Disk bytes are every file in the spool directory: SST, WAL, manifest and info logs. */
    @Override
    public SpoolStats stats() {
        ensureOpen();
        long bytes = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                bytes += sizeOf(file);
            }
        } catch (IOException e) {
            throw new SpoolException("cannot measure spool directory " + directory + ": " + e, e);
        }
        return new SpoolStats(messageCount.get(), bytes);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Handles before the database, options after it: RocksJava's required order.
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw new SpoolException("spool close failed: " + describe(e), e);
            } finally {
                closeAll(options);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public void markInProcess(long internalId) {
        metaWrite(() -> db.put(meta, unsyncedWrite, metaKey(IN_PROCESS, internalId), new byte[0]));
    }

    @Override
    public void clearInProcess(long internalId) {
        metaWrite(() -> db.delete(meta, unsyncedWrite, metaKey(IN_PROCESS, internalId)));
    }

    @Override
    public java.util.Map<Long, Integer> countCrashes() {
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        metaWrite(() -> {
            try (RocksIterator it = db.newIterator(meta); WriteBatch batch = new WriteBatch()) {
                for (it.seek(new byte[]{CRASHES}); it.isValid() && it.key()[0] == CRASHES; it.next()) {
                    counts.put(ByteBuffer.wrap(it.key(), 1, Long.BYTES).getLong(), ByteBuffer.wrap(it.value()).getInt());
                }
                for (it.seek(new byte[]{IN_PROCESS}); it.isValid() && it.key()[0] == IN_PROCESS; it.next()) {
                    long id = ByteBuffer.wrap(it.key(), 1, Long.BYTES).getLong();
                    if (isStored(key(id))) {
                        int crashes = counts.merge(id, 1, Integer::sum);
                        batch.put(meta, metaKey(CRASHES, id), ByteBuffer.allocate(Integer.BYTES).putInt(crashes).array());
                    }
                    batch.delete(meta, it.key());
                }
                db.write(syncWrite, batch);
            }
        });
        return counts;
    }

    @Override
    public void clearCrashes(long internalId) {
        metaWrite(() -> db.delete(meta, syncWrite, metaKey(CRASHES, internalId)));
    }

    private void metaWrite(SpoolWrite write) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            write.run();
        } catch (RocksDBException e) {
            throw failure("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static byte[] metaKey(byte kind, long internalId) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(kind).putLong(internalId).array();
    }

    /** Runs one write against one message, after any other write to that message has finished. */
    private void exclusively(long id, SpoolWrite write) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> ahead;
            while ((ahead = busyIds.putIfAbsent(id, mine)) != null) {
                ahead.join();
            }
            try {
                write.run();
            } finally {
                busyIds.remove(id, mine);
                mine.complete(null);
            }
        } catch (RocksDBException e) {
            throw failure("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private boolean isStored(byte[] key) throws RocksDBException {
        // keyMayExist answers "no" from memtables and bloom filters without reading a value.
        return db.keyMayExist(envelopes, key, null) && db.get(envelopes, key) != null;
    }

    private void ensureOpen() {
        if (closed) {
            throw new SpoolException("spool at " + directory + " is closed");
        }
    }

    /** Big-endian so that byte order, which RocksDB sorts by, is id order. */
    static byte[] key(long internalId) {
        if (internalId < 0) {
            throw new IllegalArgumentException("InternalId must not be negative: " + internalId);
        }
        return ByteBuffer.allocate(Long.BYTES).putLong(internalId).array();
    }

    /** The SpoolException a session turns into 451 4.3.2, worded for the administrator. */
    static SpoolException failure(String operation, RocksDBException e) {
        return new SpoolException("spool " + operation + " failed: " + describe(e), e);
    }

    private static String describe(RocksDBException e) {
        Status status = e.getStatus();
        if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
            return "No space left on device";
        }
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return status == null ? "unknown RocksDB error" : status.getCodeString();
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (NoSuchFileException e) {
            return 0; // deleted by compaction or WAL recycling while we listed
        }
    }

    private static <T extends RocksObject> T track(List<RocksObject> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    private static void closeAll(List<RocksObject> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @FunctionalInterface
    private interface SpoolWrite {
        void run() throws RocksDBException;
    }
}
