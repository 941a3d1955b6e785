package io.mailflow.delivery.dns;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture for the delivery stage's DNS routing: a tiny authoritative DNS server on
 * 127.0.0.1 (UDP, a free port) answering from a table of records, so {@link MxResolver} runs
 * against real DNS messages without a network. Names it has no records for are NXDOMAIN; a name
 * with records of other types answers NOERROR with no answer (NODATA); {@link #fail} gives an
 * rcode such as SERVFAIL, {@link #drop} no answer at all (a timeout).
 */
final class FakeDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<Name, Integer> failures = new ConcurrentHashMap<>();
    private final Map<Name, Boolean> dropped = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();

    FakeDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds records, e.g. {@code Record.fromString(name("fabrikam.test"), Type.MX, DClass.IN, 300, "10 mx1.fabrikam.test.", Name.root)}. */
    FakeDnsServer add(Record... rs) {
        for (Record r : rs) {
            records.computeIfAbsent(r.getName(), n -> new CopyOnWriteArrayList<>()).add(r);
        }
        return this;
    }

    /** Every query for {@code name} gets {@code rcode} (e.g. {@link Rcode#SERVFAIL}). */
    FakeDnsServer fail(Name name, int rcode) {
        failures.put(name, rcode);
        return this;
    }

    /** Queries for {@code name} get no answer. */
    FakeDnsServer drop(Name name) {
        dropped.put(name, true);
        return this;
    }

    int queries() {
        return queries.get();
    }

    /** A dnsjava resolver that asks this server only, with a short timeout. */
    SimpleResolver resolver(Duration timeout) throws IOException {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(socket.getLocalPort());
        r.setTimeout(timeout);
        return r;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response != null) {
                    byte[] wire = response.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Name name = question.getName();
        if (dropped.containsKey(name)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Integer rcode = failures.get(name);
        if (rcode != null) {
            response.getHeader().setRcode(rcode);
            return response;
        }
        List<Record> all = records.get(name);
        if (all == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response;
        }
        List<Record> matching = new ArrayList<>();
        for (Record r : all) {
            if (r.getType() == question.getType() || (r.getType() == Type.CNAME && question.getType() != Type.CNAME)) {
                matching.add(r);
            }
        }
        for (Record r : matching) {
            response.addRecord(r, Section.ANSWER);
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(Duration.ofSeconds(5).toMillis());
    }
}
