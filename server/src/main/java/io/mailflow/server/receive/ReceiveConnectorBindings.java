package io.mailflow.server.receive;

import io.mailflow.core.logging.EventLog;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.frontend.receive.ReceiveConnectorListener;
import io.mailflow.frontend.receive.ReceiveServices;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Tcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TCP listeners of one server's receive connectors, kept in step with the organization:
 * {@link #apply} binds what a new or changed connector needs and unbinds what no enabled
 * connector uses any more, so New-, Set- and Remove-ReceiveConnector take effect without a
 * restart. Connections already open keep the connector they were admitted by.
 */
public final class ReceiveConnectorBindings implements AutoCloseable {
    private final ActorSystem system;
    private final String serverName;
    private final ReceiveServices services;
    private final EventLog events;
    private final Map<Binding, Tcp.ServerBinding> bound = new LinkedHashMap<>();
    private Map<Binding, List<ReceiveConnector>> listeners = Map.of();

    public ReceiveConnectorBindings(ActorSystem system, String serverName, ReceiveServices services,
                                    EventLog events) {
        this.system = system;
        this.serverName = serverName;
        this.services = services;
        this.events = events;
    }

    /**
     * Brings the listeners in line with {@code target}. Returns one line per binding that could
     * not be opened (a port in use, say); the others are open whatever happened to it.
     */
    public synchronized List<String> apply(Organization target) {
        Map<Binding, List<ReceiveConnector>> wanted = new LinkedHashMap<>();
        for (ReceiveConnector connector : target.receiveConnectorsOn(serverName)) {
            if (connector.enabled()) {
                for (Binding binding : connector.bindings()) {
                    wanted.computeIfAbsent(binding, b -> new ArrayList<>()).add(connector);
                }
            }
        }
        for (var it = bound.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                entry.getValue().unbind();
                it.remove();
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Binding, List<ReceiveConnector>> entry : wanted.entrySet()) {
            Binding binding = entry.getKey();
            if (!bound.containsKey(binding)) {
                try {
                    bound.put(binding, ReceiveConnectorListener.bind(system, binding, services)
                        .toCompletableFuture().get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    String connectors = entry.getValue().stream().map(ReceiveConnector::identity).toList().toString();
                    events.write(TransportEvents.receiveConnectorBindFailed(entry.getValue().get(0).identity(),
                        binding, String.valueOf(cause.getMessage())));
                    problems.add("Receive connector " + connectors + " cannot listen on " + binding + ": "
                        + cause.getMessage());
                    continue;
                }
                for (ReceiveConnector c : entry.getValue()) {
                    events.write(TransportEvents.receiveConnectorListening(c.identity(), List.of(binding)));
                }
            }
        }
        listeners = wanted;
        return problems;
    }

    /** Each open binding with the connectors answering on it. */
    public synchronized Map<Binding, List<ReceiveConnector>> listeners() {
        Map<Binding, List<ReceiveConnector>> open = new LinkedHashMap<>();
        listeners.forEach((b, cs) -> {
            if (bound.containsKey(b)) {
                open.put(b, cs);
            }
        });
        return open;
    }

    @Override
    public synchronized void close() {
        bound.values().forEach(Tcp.ServerBinding::unbind);
        bound.clear();
    }
}
