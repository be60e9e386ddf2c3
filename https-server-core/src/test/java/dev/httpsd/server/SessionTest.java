package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final List<Object> freed = new CopyOnWriteArrayList<>();

    @Test
    void theSessionContextLivesAcrossRequestsAndIsFreedOnReplaceAndOnClose() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            HttpSession session = req.session();
            String previous = String.valueOf(session.context());
            String next = req.queryValue("set").orElse(null);
            if (next != null) {
                session.setContext(next, freed::add);
            }
            resp.send(previous);
        });
        fixture.handle("/same", HttpMethod.GET, (req, resp) -> {
            req.session().setContext(req.session().context(), freed::add);
            resp.send("same");
        });
        RawClient client = fixture.connect();

        assertThat(client.exchange("GET /?set=A HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("null");
        assertThat(client.exchange(GET).bodyText()).isEqualTo("A");
        client.exchange("GET /same HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(freed).as("setting the same context again frees nothing").isEmpty();
        assertThat(client.exchange("GET /?set=B HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("A");
        assertThat(freed).containsExactly("A");

        client.close();

        Await.until("the session closes", () -> server.openSessions() == 0);
        assertThat(freed).containsExactly("A", "B");
    }

    @Test
    void theTransportContextIsFreedOnReplaceAndAfterTheUserContextOnClose() throws Exception {
        HttpServer server = fixture.start(b -> b.openHook(session -> {
            session.setTransportContext("T1", freed::add);
            session.setTransportContext("T2", freed::add);
            session.setContext("U", freed::add);
        }));
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send((String) req.session().transportContext()));
        RawClient client = fixture.connect();

        assertThat(client.exchange(GET).bodyText()).isEqualTo("T2");
        assertThat(freed).containsExactly("T1");
        client.close();

        Await.until("the session closes", () -> server.openSessions() == 0);
        assertThat(freed).containsExactly("T1", "U", "T2");
    }

    @Test
    void recvAndSendOverridesCarryEveryByte() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        fixture.start(b -> b.openHook(TransportHook.of((session, setup) -> {
            InputStream in = setup.rawInput();
            OutputStream out = setup.rawOutput();
            session.setRecvOverride((s, buffer, offset, length) -> {
                int n = in.read(buffer, offset, length);
                received.addAndGet(Math.max(0, n));
                return n;
            });
            session.setSendOverride((s, buffer, offset, length) -> {
                int n = Math.min(length, 5); // a partial writer: the server must call again
                byte[] copy = new String(buffer, offset, n, StandardCharsets.ISO_8859_1)
                        .replace('x', 'y')
                        .getBytes(StandardCharsets.ISO_8859_1);
                out.write(copy);
                sent.addAndGet(n);
                return n;
            });
        })));
        fixture.handle(
                "/",
                HttpMethod.POST,
                (req, resp) -> resp.contentType("text/plain")
                        .send("xxx" + new String(req.body().readAllBytes(), StandardCharsets.US_ASCII)));
        RawClient client = fixture.connect();
        String request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";

        RawClient.Response response = client.exchange(request);

        assertThat(response.bodyText()).isEqualTo("yyyabc");
        assertThat(response.header("Content-Type")).isEqualTo("teyt/plain");
        assertThat(received.get()).isEqualTo(request.length());
        Await.until("the send counter", () -> sent.get() > 6);
    }

    @Test
    void aLayerThatFreesItsBuffersWhileIdleReadsTheByteTheSessionReadAheadFirst() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        fixture.start(b -> b.openHook(TransportHook.of((session, setup) -> {
            InputStream in = setup.rawInput();
            session.setRecvOverride((s, buffer, offset, length) -> {
                int n = in.read(buffer, offset, length);
                received.addAndGet(Math.max(0, n));
                return n;
            });
            setup.idleRelease(() -> {
                released.incrementAndGet();
                return true;
            });
        })));
        fixture.handle(
                "/",
                HttpMethod.POST,
                (req, resp) -> resp.send(new String(req.body().readAllBytes(), StandardCharsets.US_ASCII)));
        RawClient client = fixture.connect();
        int sentBytes = 0;

        for (String body : List.of("one", "two", "three")) {
            String request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            sentBytes += request.length();
            assertThat(client.exchange(request).bodyText()).isEqualTo(body);
        }

        assertThat(received.get()).isEqualTo(sentBytes);
        assertThat(released.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void thePendingOverrideAnswersPending() throws Exception {
        fixture.start(b -> b.openHook(session -> session.setPendingOverride(s -> 42)));
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().pending())));

        assertThat(fixture.connect().exchange(GET).bodyText()).isEqualTo("42");
    }

    @Test
    void aLockedTransportRefusesEverySetterWithTheReason() throws Exception {
        List<String> refusals = new CopyOnWriteArrayList<>();
        fixture.start(b -> b.openHook(TransportHook.of((session, setup) -> {
            setup.lock("TLS owns this transport");
            List<Runnable> setters = List.of(
                    () -> session.setRecvOverride((s, b2, o, l) -> -1),
                    () -> session.setSendOverride((s, b2, o, l) -> l),
                    () -> session.setPendingOverride(s -> 0),
                    () -> session.setTransportContext("t", null),
                    () -> setup.idleRelease(() -> true));
            for (Runnable setter : setters) {
                try {
                    setter.run();
                } catch (IllegalStateException e) {
                    refusals.add(e.getMessage());
                }
            }
            session.setContext("user contexts stay free", null);
        })));
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send((String) req.session().context()));

        assertThat(fixture.connect().exchange(GET).bodyText()).isEqualTo("user contexts stay free");
        assertThat(refusals).hasSize(5).containsOnly("TLS owns this transport");
    }

    @Test
    void anOpenHookThatThrowsRejectsTheSession() throws Exception {
        EventRecorder events = new EventRecorder();
        List<Integer> closeHooks = new CopyOnWriteArrayList<>();
        HttpServer server = fixture.start(b -> b.eventListener(events)
                .openHook(session -> {
                    session.setContext("ctx", freed::add);
                    throw new IllegalStateException("not welcome");
                })
                .closeHook(session -> closeHooks.add(session.id())));
        RawClient client = fixture.connect();

        assertThat(client.closedByServer()).isTrue();
        Await.until("DISCONNECTED", () -> events.has(HttpServerEvent.Id.DISCONNECTED));
        int id = events.all().get(1).sessionId();
        assertThat(events.idsOf(id)).containsExactly(HttpServerEvent.Id.DISCONNECTED);
        assertThat(closeHooks).containsExactly(id);
        Await.until("the session is gone", () -> server.openSessions() == 0);
        assertThat(freed).containsExactly("ctx");
    }

    @Test
    void rejectedSessionsGiveTheirSlotBack() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        HttpServer server = fixture.start(b -> b.maxOpenSockets(1).openHook(session -> {
            if (opened.incrementAndGet() <= 3) {
                throw new IllegalStateException("rejected");
            }
        }));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("welcome"));

        for (int i = 0; i < 3; i++) {
            assertThat(fixture.connect().closedByServer()).isTrue();
        }

        assertThat(fixture.connect().exchange(GET).bodyText()).isEqualTo("welcome");
        assertThat(server.openSessions()).isEqualTo(1);
    }

    @Test
    void theCloseHookRunsBeforeTheSocketIsClosed() throws Exception {
        Map<String, Object> atClose = new ConcurrentHashMap<>();
        Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
        HttpServer server = fixture.start(b -> b.openHook(
                        TransportHook.of((session, setup) -> sockets.put(session.id(), setup.socket())))
                .closeHook(session -> {
                    atClose.put("id", session.id());
                    atClose.put("socketClosed", sockets.get(session.id()).isClosed());
                }));
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(client.exchange(GET).bodyText());

        client.close();

        Await.until("the close hook", () -> atClose.containsKey("socketClosed"));
        assertThat(atClose).containsEntry("id", id).containsEntry("socketClosed", false);
        Await.until("the session is gone", () -> server.session(id).isEmpty());
    }

    @Test
    void triggerCloseClosesAnIdleSessionAtOnce() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(client.exchange(GET).bodyText());
        Await.until("the session is idle", () -> ((Session) server.session(id).orElseThrow()).isIdle());

        server.session(id).orElseThrow().triggerClose();

        assertThat(client.closedByServer()).isTrue();
        Await.until("the session is gone", () -> server.openSessions() == 0);
    }

    @Test
    void triggerCloseDuringARequestClosesAfterItsResponse() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            req.session().triggerClose();
            assertThat(req.session().isOpen()).isTrue();
            resp.send("last one");
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange(GET);

        assertThat(response.bodyText()).isEqualTo("last one");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void updateLruCounterMakesASessionTheMostRecentlyUsed() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        int first = Integer.parseInt(fixture.connect().exchange(GET).bodyText());
        Session a = (Session) server.session(first).orElseThrow();
        // the counter moves after the response is written: wait until the session is idle again,
        // or the second session's request may be counted first
        Await.until("the first session idle", a::isIdle);
        int second = Integer.parseInt(fixture.connect().exchange(GET).bodyText());
        Session b = (Session) server.session(second).orElseThrow();
        Await.until("the second session idle", b::isIdle);
        assertThat(a.lruCounter()).isLessThan(b.lruCounter());

        a.updateLruCounter();

        assertThat(a.lruCounter()).isGreaterThan(b.lruCounter());
    }

    @Test
    void clientListHoldsTheOpenSessionsInAscendingOrder() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        List<RawClient> clients = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient client = fixture.connect();
            clients.add(client);
            ids.add(Integer.parseInt(client.exchange(GET).bodyText()));
        }
        assertThat(server.clientList()).isSortedAccordingTo(Integer::compare).containsExactlyElementsOf(ids);

        clients.get(1).close();

        Await.until(
                "the closed session leaves the list", () -> server.clientList().size() == 2);
        assertThat(server.clientList()).containsExactly(ids.get(0), ids.get(2));
    }

    @Test
    void rawSessionIoWorksFromQueuedWork() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(client.exchange(GET).bodyText());
        byte[] ping = "ping!".getBytes(StandardCharsets.US_ASCII);

        server.queueWork(() -> {
            try {
                server.session(id).orElseThrow().send(ping, 0, ping.length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(client.socket().getInputStream().readNBytes(5)).isEqualTo(ping);
    }

    @Test
    void queuedWorkRunsSeriallyInSubmissionOrder() throws Exception {
        HttpServer server = fixture.start();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);

        for (int i = 0; i < 200; i++) {
            int n = i;
            server.queueWork(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                threads.add(Thread.currentThread());
                Thread.yield();
                running.decrementAndGet();
                done.countDown();
            });
        }
        server.queueWork(() -> {
            throw new IllegalStateException("a failing item does not stop the queue");
        });
        CountDownLatch after = new CountDownLatch(1);
        server.queueWork(after::countDown);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).hasSize(200).isSorted();
        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(threads.stream().distinct()).hasSize(1);
    }

    @Test
    void anUnknownSessionIdIsEmpty() throws Exception {
        HttpServer server = fixture.start();

        assertThat(server.session(12345)).isEmpty();
        assertThatThrownBy(() -> server.queueWork(null)).isInstanceOf(NullPointerException.class);
    }
}
