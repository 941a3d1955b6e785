package io.mailflow.core.backpressure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.mailflow.core.backpressure.PressureLevel.High;
import static io.mailflow.core.backpressure.PressureLevel.Medium;
import static io.mailflow.core.backpressure.PressureLevel.Normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exchange's defaults, their config keys, and the hysteresis of every threshold. */
class ResourceThresholdsTest {

    @Test
    void exchangeDefaults() {
        assertEquals(new ResourceThresholds(Resource.SubmissionQueue, 9999, 15000, 10000, 2000),
            ResourceThresholds.defaults(Resource.SubmissionQueue));
        assertEquals(new ResourceThresholds(Resource.UsedDiskSpace, 89, 99, 90, 80),
            ResourceThresholds.defaults(Resource.UsedDiskSpace));
        assertEquals(new ResourceThresholds(Resource.DatabaseUsedSpace, 96, 99, 97, 94),
            ResourceThresholds.defaults(Resource.DatabaseUsedSpace));
    }

    @Test
    void settingsUseEdgeTransportConfigKeys() {
        assertEquals(List.of("QueueLength[SubmissionQueue].LowToMedium", "QueueLength[SubmissionQueue].MediumToHigh",
                "QueueLength[SubmissionQueue].HighToMedium", "QueueLength[SubmissionQueue].MediumToLow"),
            List.copyOf(ResourceThresholds.defaults(Resource.SubmissionQueue).settings().keySet()));
        assertEquals(Map.of("UsedDiskSpace.LowToMedium", 89L, "UsedDiskSpace.MediumToHigh", 99L,
                "UsedDiskSpace.HighToMedium", 90L, "UsedDiskSpace.MediumToLow", 80L),
            ResourceThresholds.defaults(Resource.UsedDiskSpace).settings());
        assertEquals(97L, ResourceThresholds.defaults(Resource.DatabaseUsedSpace).settings()
            .get("DatabaseUsedSpace.HighToMedium"));
    }

    @Test
    void withSettingsChangesOnlyItsOwnKeys() {
        Map<String, Long> configured = Map.of(
            "QueueLength[SubmissionQueue].LowToMedium", 100L,
            "QueueLength[SubmissionQueue].MediumToLow", 50L,
            "UsedDiskSpace.LowToMedium", 70L);
        assertEquals(new ResourceThresholds(Resource.SubmissionQueue, 100, 15000, 10000, 50),
            ResourceThresholds.defaults(Resource.SubmissionQueue).withSettings(configured));
        assertEquals(new ResourceThresholds(Resource.DatabaseUsedSpace, 96, 99, 97, 94),
            ResourceThresholds.defaults(Resource.DatabaseUsedSpace).withSettings(configured));
    }

    @Test
    void orderingsThatWouldFlapAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ResourceThresholds(Resource.SubmissionQueue, 100, 200, 150, 101));
        assertEquals("QueueLength[SubmissionQueue].MediumToLow (101) must not exceed "
            + "QueueLength[SubmissionQueue].LowToMedium (100)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new ResourceThresholds(Resource.UsedDiskSpace, 99, 90, 85, 80));
        assertThrows(IllegalArgumentException.class,
            () -> new ResourceThresholds(Resource.UsedDiskSpace, 89, 99, 100, 80));
        assertThrows(IllegalArgumentException.class,
            () -> new ResourceThresholds(Resource.UsedDiskSpace, 89, 99, 90, -1));
    }

    @ParameterizedTest
    @EnumSource(Resource.class)
    void risingNeedsAReadingAtOrAboveTheThreshold(Resource resource) {
        ResourceThresholds t = ResourceThresholds.defaults(resource);
        assertEquals(Normal, t.levelAfter(Normal, t.lowToMedium() - 1));
        assertEquals(Medium, t.levelAfter(Normal, t.lowToMedium()));
        assertEquals(Medium, t.levelAfter(Medium, t.mediumToHigh() - 1));
        assertEquals(High, t.levelAfter(Medium, t.mediumToHigh()));
        assertEquals(High, t.levelAfter(Normal, t.mediumToHigh()), "a jump crosses both thresholds");
    }

    @ParameterizedTest
    @EnumSource(Resource.class)
    void fallingNeedsAReadingBelowTheThreshold(Resource resource) {
        ResourceThresholds t = ResourceThresholds.defaults(resource);
        assertEquals(High, t.levelAfter(High, t.highToMedium()));
        assertEquals(Medium, t.levelAfter(High, t.highToMedium() - 1));
        assertEquals(Medium, t.levelAfter(Medium, t.mediumToLow()));
        assertEquals(Normal, t.levelAfter(Medium, t.mediumToLow() - 1));
        assertEquals(Normal, t.levelAfter(High, t.mediumToLow() - 1), "a drop crosses both thresholds");
    }

    @ParameterizedTest
    @EnumSource(Resource.class)
    void betweenTheThresholdsTheLevelStays(Resource resource) {
        ResourceThresholds t = ResourceThresholds.defaults(resource);
        long betweenLowAndMedium = (t.mediumToLow() + t.lowToMedium()) / 2;
        assertEquals(Normal, t.levelAfter(Normal, betweenLowAndMedium));
        assertEquals(Medium, t.levelAfter(Medium, betweenLowAndMedium));
        long betweenMediumAndHigh = t.mediumToHigh() - 1;
        assertEquals(Medium, t.levelAfter(Medium, betweenMediumAndHigh));
        assertEquals(High, t.levelAfter(High, Math.max(t.highToMedium(), betweenMediumAndHigh)));
    }
}
