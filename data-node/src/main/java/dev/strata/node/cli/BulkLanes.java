package dev.strata.node.cli;

import dev.strata.core.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends bulks on several connections at once while keeping the order of writes per id: a line
 * goes to the lane its {@code _id} hashes to (a line without one to the next lane in turn), and
 * each lane sends its bulks one after another. Two writes of one id are thus never in flight
 * together, and the later one is sent after the earlier one was acknowledged. Each lane holds at
 * most two bulks (one sending, one filling), so memory stays bounded however large the file.
 */
final class BulkLanes implements AutoCloseable {
    private final NodeClient client;
    private final String path;
    private final int batch;
    private final Lane[] lanes;
    private final ExecutorService senders;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final List<String> firstErrors = new ArrayList<>();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private int nextLane;
    private final int retries;
    private final java.io.PrintStream notices;

    private final class Lane {
        final Semaphore inFlight = new Semaphore(1);
        StringBuilder body = new StringBuilder();
        List<Long> lines = new ArrayList<>();
    }

    BulkLanes(NodeClient client, String path, int batch, int parallel, int retries, java.io.PrintStream notices) {
        this.client = client;
        this.retries = retries;
        this.notices = notices;
        this.path = path;
        this.batch = batch;
        this.lanes = new Lane[parallel];
        for (int i = 0; i < parallel; i++) lanes[i] = new Lane();
        this.senders = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "strata-load");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues one document (line {@code lineNumber} of the file); may wait while its lane's bulk is in flight. */
    void add(String line, long lineNumber) throws InterruptedException {
        String id = TopLevelId.of(line);
        Lane lane = lanes[id == null ? (nextLane++ % lanes.length) : Math.floorMod(id.hashCode(), lanes.length)];
        lane.body.append(line).append('\n');
        lane.lines.add(lineNumber);
        if (lane.lines.size() >= batch) flush(lane);
    }

    private void flush(Lane lane) throws InterruptedException {
        if (lane.lines.isEmpty()) return;
        check();
        String body = lane.body.toString();
        List<Long> lines = lane.lines;
        lane.body = new StringBuilder();
        lane.lines = new ArrayList<>();
        lane.inFlight.acquire(); // the lane's previous bulk is acknowledged before this one goes
        senders.execute(() -> {
            try {
                send(body, lines);
            } catch (RuntimeException e) {
                fatal.compareAndSet(null, e);
            } finally {
                lane.inFlight.release();
            }
        });
    }

    private void send(String body, List<Long> lines) {
        if (fatal.get() != null) return;
        Value.ObjectValue res = NodeClient.ok(sendWithRetries(body));
        indexed.addAndGet(((Value.IntValue) res.get("indexed")).value());
        failed.addAndGet(((Value.IntValue) res.get("failed")).value());
        sent.addAndGet(lines.size());
        synchronized (firstErrors) {
            for (Value e : ((Value.ArrayValue) res.get("errors")).elements()) {
                if (firstErrors.size() >= 5) break;
                Value.ObjectValue o = (Value.ObjectValue) e;
                long line = lines.get((int) ((Value.IntValue) o.get("line")).value() - 1);
                firstErrors.add("document " + line + ": " + ((Value.StringValue) o.get("message")).value());
            }
        }
    }

    /**
     * Sends a bulk; one the node refused whole for now (429 over a memory budget, 503
     * {@code UNAVAILABLE}: nothing of it was written) is sent again after a back-off. A 503
     * {@code READ_ONLY} (a disk fault, for an operator to fix) is not retried.
     */
    private NodeClient.Response sendWithRetries(String body) {
        long waitMillis = 500;
        for (int attempt = 0; ; attempt++) {
            NodeClient.Response r = client.send("POST", path + "/bulk", "application/x-ndjson", body);
            boolean transient_ = r.status() == 429 || (r.status() == 503 && r.body().get("error") instanceof Value.ObjectValue e
                    && Value.of("UNAVAILABLE").equals(e.get("code")));
            if (!transient_ || attempt >= retries || fatal.get() != null) return r;
            String why = r.body().get("error") instanceof Value.ObjectValue e && e.get("message") instanceof Value.StringValue m ? m.value() : "";
            notices.printf("%nstrata: the node answered %d (%s); sending the bulk again in %.1f s (retry %d of %d)%n",
                    r.status(), why, waitMillis / 1000.0, attempt + 1, retries);
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return r;
            }
            waitMillis = Math.min(10_000, waitMillis * 2);
        }
    }

    private void check() {
        RuntimeException e = fatal.get();
        if (e != null) throw e;
    }

    /** Sends what the lanes still hold and waits for every bulk; throws the first failure. */
    void finish() throws InterruptedException {
        for (Lane l : lanes) flush(l);
        for (Lane l : lanes) {
            l.inFlight.acquire();
            l.inFlight.release();
        }
        check();
    }

    long indexed() { return indexed.get(); }

    long failed() { return failed.get(); }

    long sent() { return sent.get(); }

    List<String> firstErrors() {
        synchronized (firstErrors) { return List.copyOf(firstErrors); }
    }

    @Override
    public void close() { senders.shutdownNow(); }
}
