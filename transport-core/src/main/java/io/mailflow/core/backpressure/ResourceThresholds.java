package io.mailflow.core.backpressure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Back pressure: one resource's four hysteretic thresholds, as EdgeTransport.exe.config names them
 * ({@code <resource>.LowToMedium}, {@code .MediumToHigh}, {@code .HighToMedium}, {@code .MediumToLow};
 * exchange.md §3). Rising needs a reading at or above LowToMedium / MediumToHigh; falling needs one
 * below HighToMedium / MediumToLow, so a reading hovering at a threshold does not flap the level.
 *
 * <p>Exchange's defaults: {@code QueueLength[SubmissionQueue]} 9999 / 15000 / 10000 / 2000 messages,
 * {@code UsedDiskSpace} 89 / 99 / 90 / 80 %, {@code DatabaseUsedSpace} 96 / 99 / 97 / 94 %.
 */
public record ResourceThresholds(Resource resource, long lowToMedium, long mediumToHigh,
                                 long highToMedium, long mediumToLow) {

    public static final String LOW_TO_MEDIUM = "LowToMedium";
    public static final String MEDIUM_TO_HIGH = "MediumToHigh";
    public static final String HIGH_TO_MEDIUM = "HighToMedium";
    public static final String MEDIUM_TO_LOW = "MediumToLow";

    public ResourceThresholds {
        Objects.requireNonNull(resource, "resource");
        if (mediumToLow < 0) {
            throw new IllegalArgumentException(resource.key(MEDIUM_TO_LOW) + " must not be negative: " + mediumToLow);
        }
        // These orderings are what makes every reading settle on one level: rising to a level can
        // never also satisfy the condition for falling out of it, and the reverse.
        if (mediumToLow > lowToMedium) {
            throw new IllegalArgumentException(resource.key(MEDIUM_TO_LOW) + " (" + mediumToLow + ") must not exceed "
                + resource.key(LOW_TO_MEDIUM) + " (" + lowToMedium + ")");
        }
        if (lowToMedium > mediumToHigh) {
            throw new IllegalArgumentException(resource.key(LOW_TO_MEDIUM) + " (" + lowToMedium + ") must not exceed "
                + resource.key(MEDIUM_TO_HIGH) + " (" + mediumToHigh + ")");
        }
        if (highToMedium > mediumToHigh) {
            throw new IllegalArgumentException(resource.key(HIGH_TO_MEDIUM) + " (" + highToMedium + ") must not exceed "
                + resource.key(MEDIUM_TO_HIGH) + " (" + mediumToHigh + ")");
        }
    }

    /** Exchange's defaults for a resource. */
    public static ResourceThresholds defaults(Resource resource) {
        return switch (resource) {
            case SubmissionQueue -> new ResourceThresholds(resource, 9999, 15000, 10000, 2000);
            case UsedDiskSpace -> new ResourceThresholds(resource, 89, 99, 90, 80);
            case DatabaseUsedSpace -> new ResourceThresholds(resource, 96, 99, 97, 94);
        };
    }

    /** The four thresholds under their EdgeTransport.exe.config keys, in Exchange's order. */
    public Map<String, Long> settings() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(resource.key(LOW_TO_MEDIUM), lowToMedium);
        out.put(resource.key(MEDIUM_TO_HIGH), mediumToHigh);
        out.put(resource.key(HIGH_TO_MEDIUM), highToMedium);
        out.put(resource.key(MEDIUM_TO_LOW), mediumToLow);
        return out;
    }

    /**
     * These thresholds with the ones {@code settings} names replaced. Keys of other resources are
     * ignored, so one map of every configured key can be offered to each resource.
     */
    public ResourceThresholds withSettings(Map<String, Long> settings) {
        return new ResourceThresholds(resource,
            settings.getOrDefault(resource.key(LOW_TO_MEDIUM), lowToMedium),
            settings.getOrDefault(resource.key(MEDIUM_TO_HIGH), mediumToHigh),
            settings.getOrDefault(resource.key(HIGH_TO_MEDIUM), highToMedium),
            settings.getOrDefault(resource.key(MEDIUM_TO_LOW), mediumToLow));
    }

    /**
     * The level after a reading, from the level before it. Normal→Medium at ≥ LowToMedium,
     * Medium→High at ≥ MediumToHigh, High→Medium below HighToMedium, Medium→Normal below MediumToLow;
     * a reading that crosses two thresholds at once moves two levels (Normal→High, High→Normal).
     */
    public PressureLevel levelAfter(PressureLevel current, long reading) {
        PressureLevel level = current;
        // Two steps at most; the constructor's orderings guarantee no step undoes the previous one.
        for (int step = 0; step < 2; step++) {
            PressureLevel next = step(level, reading);
            if (next == level) {
                break;
            }
            level = next;
        }
        return level;
    }

    private PressureLevel step(PressureLevel level, long reading) {
        return switch (level) {
            case Normal -> reading >= lowToMedium ? PressureLevel.Medium : PressureLevel.Normal;
            case Medium -> reading >= mediumToHigh ? PressureLevel.High
                : reading < mediumToLow ? PressureLevel.Normal : PressureLevel.Medium;
            case High -> reading < highToMedium ? PressureLevel.Medium : PressureLevel.High;
        };
    }
}
