package io.mailflow.server.backpressure;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.backpressure.DiskUsage;
import io.mailflow.core.backpressure.Resource;
import io.mailflow.core.logging.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exchange's resource monitor (exchange.md §3): every ResourceMeteringInterval it reads the
 * Submission queue's length and the spool disk's use, feeds them to {@link BackPressure}, and
 * writes 15004/15005/15006 when a level changes. Sessions read the level on every MAIL FROM;
 * nothing here sleeps, the actor system's scheduler calls {@link #meter()}.
 */
public final class ResourceMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitor.class);

    private final BackPressure backPressure;
    private final AtomicLong submissionQueueLength;
    private final Path spoolDirectory;
    private final DiskUsage disk;
    private final EventLog events;

    public ResourceMonitor(BackPressure backPressure, AtomicLong submissionQueueLength, Path spoolDirectory,
                           DiskUsage disk, EventLog events) {
        this.backPressure = backPressure;
        this.submissionQueueLength = submissionQueueLength;
        this.spoolDirectory = spoolDirectory;
        this.disk = disk;
        this.events = events;
    }

    public void meter() {
        Map<Resource, Long> readings = new EnumMap<>(Resource.class);
        readings.put(Resource.SubmissionQueue, submissionQueueLength.get());
        try {
            readings.put(Resource.UsedDiskSpace, disk.percentUsed(spoolDirectory));
        } catch (IOException e) {
            LOG.warn("cannot read the disk use of {}: {}", spoolDirectory, e.toString());
        }
        for (BackPressure.Transition t : backPressure.update(readings)) {
            LOG.warn("back pressure on {}: {} -> {} (reading {})", t.resource().exchangeName(), t.from(), t.to(),
                t.reading());
            backPressure.events(t).forEach(events::write);
        }
    }
}
