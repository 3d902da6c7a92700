package io.nexchange.testing.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault against a JDK HTTP server: what the client sees, and whether the server got the request. */
class FaultProxyTest {
    private static final String BODY = "x".repeat(10_000);
    private HttpServer server;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            served.incrementAndGet();
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /**
     * One PUT on a socket of its own, read to the end: "OK", "HTTP n", "short body", or the exception. A plain socket,
     * because the JDK's HTTP clients resend failed requests and reuse half-closed connections on their own.
     */
    private static String put(FaultProxy proxy, String path, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(readTimeoutMillis);
            byte[] body = "BEGIN:VCALENDAR".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (answer.isEmpty()) {
                throw new IOException("no answer");
            }
            if (!answer.startsWith("HTTP/1.1 200")) {
                return "HTTP " + answer.substring(9, 12);
            }
            return answer.endsWith(BODY) ? "OK" : "short body";
        }
    }

    @Test
    void httpFaultsHitTheMatchingRequestsOnly() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(FaultProxy.Mode.HTTP, server.getAddress().getPort())) {
            proxy.inject(Fault.status(503).onMethod("PUT").onPathContaining("/cal/").times(1));
            assertEquals("OK", put(proxy, "/other/a.ics", 5_000), "another path is relayed");
            assertEquals("HTTP 503", put(proxy, "/cal/a.ics", 5_000));
            assertEquals(1, served.get(), "the 503 came from the proxy, the server saw nothing");
            assertEquals("OK", put(proxy, "/cal/a.ics", 5_000), "the fault was for one request");

            proxy.inject(Fault.reset().times(1));
            assertThrows(IOException.class, () -> put(proxy, "/cal/b.ics", 5_000));
            assertEquals(2, served.get(), "a reset request never reaches the server");

            proxy.inject(Fault.responseLost().times(1));
            assertThrows(IOException.class, () -> put(proxy, "/cal/c.ics", 5_000));
            assertEquals(3, served.get(), "the server acted on the request whose answer was lost");

            proxy.inject(Fault.truncate().times(1));
            assertEquals("short body", put(proxy, "/cal/d.ics", 5_000));
            assertEquals(4, served.get());

            proxy.inject(Fault.stall(Duration.ofSeconds(3)).times(1));
            assertThrows(SocketTimeoutException.class, () -> put(proxy, "/cal/e.ics", 300));
            assertEquals(5, served.get());
            assertEquals("OK", put(proxy, "/cal/f.ics", 5_000));
            List<FaultProxy.Request> seen = proxy.requests();
            assertEquals(8, seen.size(), seen.toString());
            assertEquals(5, proxy.applied().size(), proxy.applied().toString());
        }
    }

    @Test
    void tcpFaultsApplyToTheNextDataOnAnyConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(FaultProxy.Mode.TCP, server.getAddress().getPort())) {
            assertThrows(IllegalArgumentException.class, () -> proxy.inject(Fault.status(500)));
            assertEquals("OK", put(proxy, "/a", 5_000));
            proxy.inject(Fault.reset().times(1));
            assertThrows(IOException.class, () -> put(proxy, "/b", 5_000));
            proxy.inject(Fault.truncate().times(1));
            String truncated;
            try {
                truncated = put(proxy, "/c", 5_000);
            } catch (IOException e) {
                truncated = e.toString();
            }
            assertNotEquals("OK", truncated);
            assertEquals("OK", put(proxy, "/d", 5_000));
            assertEquals(3, served.get(), "relayed: a, c (truncated answer), d");
        }
    }
}
