package io.mailflow.simulator.report;

import io.mailflow.simulator.scenario.Scenario;

import java.util.List;
import java.util.Map;

/**
 * Simulator report: everything one run produced, handed from the model to the report writers.
 * Holds no wall-clock figure, so the same scenario and seed give the same result, byte for byte.
 *
 * @param minutes           simulated minutes the series cover
 * @param queues            delivery queues and the Submission queue, in the order they appeared
 * @param connectorOpen     per receive connector, open connections (highest each minute)
 * @param backPressure      back-pressure transitions, as "hh:mm:ss Normal → Medium (reading)"
 * @param stillAtSenders    messages the senders still held at the end
 * @param stillQueued       messages still in the relay's queues at the end
 * @param faults            what each of the scenario's faults did, in the scenario's order
 */
public record RunResult(Scenario scenario,
                        long seed,
                        List<WorkloadStats> workloads,
                        int minutes,
                        long simulatedNanos,
                        long events,
                        List<QueueResult> queues,
                        Map<String, MinuteSeries> connectorOpen,
                        List<String> backPressure,
                        long stillAtSenders,
                        long stillQueued,
                        List<FaultStats> faults) {

    /** One queue's story: its depth each minute and when it was in Retry. */
    public record QueueResult(String name, String kind, MinuteSeries depth, List<long[]> retryWindows) {
    }
}
