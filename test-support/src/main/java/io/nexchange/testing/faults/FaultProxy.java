package io.nexchange.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting proxy on loopback, between a client under test and a real server on loopback.
 *
 * <p>{@link Mode#TCP} relays bytes without reading them, so TLS stays end to end (the client still verifies the
 * server's certificate): it resets, stalls or truncates the connection on which the client next sends data.
 * {@link Mode#HTTP} reads HTTP/1.1 request heads (plain HTTP servers such as Radicale or PHP's built-in server), so a
 * fault can target a method and a path and can be an HTTP status the proxy answers itself; it logs every request.
 *
 * <p>Hand-written (about 300 lines) because the proxies that do this are separate programs (toxiproxy, a Go
 * binary, is not in Debian or Maven Central) or mock servers that terminate TLS; the tests need one in-process,
 * started on a free port per test, that leaves TLS alone.
 */
public final class FaultProxy implements AutoCloseable {
    /** How much the proxy understands of what it relays. */
    public enum Mode { TCP, HTTP }

    /** One request the HTTP proxy saw, the fault it got (null: relayed untouched) and when its head arrived. */
    public record Request(String method, String path, Fault fault, java.time.Instant at) {
        @Override
        public String toString() {
            return method + " " + path + (fault == null ? "" : " [" + fault.kind() + "]");
        }
    }

    private final Mode mode;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final List<Armed> faults = new CopyOnWriteArrayList<>();
    /** Appended on every request: a list that copies itself on each add would cost O(n) per request over a long run. */
    private final List<Request> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final List<Fault> applied = new CopyOnWriteArrayList<>();
    private final Set<Relay> open = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean closed;

    private FaultProxy(Mode mode, int targetPort) throws IOException {
        this.mode = mode;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + listener.getLocalPort() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** A proxy on a free loopback port relaying to {@code 127.0.0.1:targetPort} (0: set it later with {@link #forwardTo}). */
    public static FaultProxy start(Mode mode, int targetPort) {
        try {
            return new FaultProxy(mode, targetPort);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on a loopback port", e);
        }
    }

    /** Where to relay to, for servers that must know the proxy's port before they start. */
    public FaultProxy forwardTo(int port) {
        this.targetPort = port;
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Arms a fault; it applies to matching requests until its count is used up or {@link #clear()}. */
    public void inject(Fault fault) {
        if (mode == Mode.TCP && (fault.kind() == Fault.Kind.STATUS || fault.method() != null || fault.pathContains() != null)) {
            throw new IllegalArgumentException("a TCP proxy cannot read requests (TLS): " + fault
                    + "; use the server's own HTTP faults for statuses and paths");
        }
        faults.add(new Armed(fault, new AtomicInteger(fault.count())));
    }

    /** Disarms every fault. */
    public void clear() {
        faults.clear();
    }

    /** Resets every open connection, as a crashed middlebox would; new connections work (unless a fault is armed). */
    public void resetConnections() {
        for (Relay relay : open) {
            relay.reset();
        }
    }

    /** The faults applied so far, in order. */
    public List<Fault> applied() {
        return List.copyOf(applied);
    }

    /** HTTP mode: every request seen, in order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the requests seen so far (a long run, such as the soak, keeps its memory flat). */
    public void forgetRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resetConnections();
        threads.shutdownNow();
    }

    private record Armed(Fault fault, AtomicInteger left) {
    }

    /** The first armed fault matching the request, counted as used; null when none applies. */
    private Fault take(String method, String path) {
        for (Iterator<Armed> it = faults.iterator(); it.hasNext();) {
            Armed armed = it.next();
            if (!armed.fault().matches(method, path)) {
                continue;
            }
            if (armed.fault().count() == 0) {
                applied.add(armed.fault());
                return armed.fault();
            }
            int left = armed.left().getAndDecrement();
            if (left > 0) {
                if (left == 1) {
                    faults.remove(armed);
                }
                applied.add(armed.fault());
                return armed.fault();
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream;
                try {
                    upstream = new Socket();
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                } catch (IOException refused) {
                    client.close(); // the server is down: so is the proxy, for this connection
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Relay relay = new Relay(client, upstream);
                open.add(relay);
                threads.execute(relay::requests);
                threads.execute(relay::responses);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("FaultProxy: accept failed: " + e);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    /** One client connection and its upstream connection: a thread per direction. */
    private final class Relay {
        private final Socket client;
        private final Socket upstream;
        /** The fault that the next answer gets (set before the request is relayed, so never too late). */
        private volatile Fault answerFault;

        Relay(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void requests() {
            try {
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                if (mode == Mode.TCP) {
                    byte[] buffer = new byte[16_384];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        Fault fault = take(null, null);
                        if (fault != null && fault.kind() == Fault.Kind.RESET) {
                            reset();
                            return;
                        }
                        pauseIfDelayed(fault);
                        if (fault != null && fault.kind() != Fault.Kind.DELAY) {
                            answerFault = fault;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } else {
                    HttpHead head;
                    while ((head = HttpHead.read(in)) != null) {
                        Fault fault = take(head.method(), head.path());
                        requests.add(new Request(head.method(), head.path(), fault, java.time.Instant.now()));
                        if (fault != null && fault.kind() == Fault.Kind.RESET) {
                            reset();
                            return;
                        }
                        if (fault != null && fault.kind() == Fault.Kind.STATUS) {
                            head.skipBody(in);
                            answer(fault.status());
                            return;
                        }
                        pauseIfDelayed(fault);
                        answerFault = fault == null || fault.kind() == Fault.Kind.DELAY ? null : fault;
                        out.write(head.bytes());
                        head.copyBody(in, out);
                        out.flush();
                    }
                }
                if (!upstream.isClosed()) {
                    upstream.shutdownOutput(); // the client is done sending: so is the proxy
                }
            } catch (IOException e) {
                // the other side ended the exchange (a reset here would drop answer bytes the client has not read)
                closeBoth();
            }
        }

        void responses() {
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buffer = new byte[16_384];
                while (true) {
                    Fault fault = answerFault;
                    if (fault != null) {
                        answerFault = null;
                        faulted(fault, in, out);
                        return;
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    Fault late = answerFault; // armed while we waited: the bytes read are that answer's
                    if (late != null) {
                        answerFault = null;
                        faulted(late, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buffer, 0, n), in), out);
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                client.shutdownOutput();
                drainAndClose();
            } catch (IOException e) {
                closeBoth();
            }
        }

        private void faulted(Fault fault, InputStream in, OutputStream out) throws IOException {
            switch (fault.kind()) {
                case RESPONSE_LOST -> {
                    in.read(); // the server has answered, so it acted on the request
                    reset();
                }
                case STALL -> {
                    in.read();
                    try {
                        Thread.sleep(fault.stall().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeBoth();
                }
                case TRUNCATE -> {
                    if (mode == Mode.TCP) {
                        byte[] buffer = new byte[16_384];
                        int n = in.read(buffer);
                        out.write(buffer, 0, Math.max(0, n / 2));
                    } else {
                        byte[] head = HttpHead.readResponseHead(in, out);
                        out.write(head);
                        long length = HttpHead.contentLength(new String(head, StandardCharsets.ISO_8859_1));
                        long half = length > 0 ? length / 2 : 16;
                        out.write(in.readNBytes((int) Math.min(half, 1 << 20)));
                    }
                    out.flush();
                    closeBoth();
                }
                default -> closeBoth();
            }
        }

        private void pauseIfDelayed(Fault fault) {
            if (fault != null && fault.kind() == Fault.Kind.DELAY) {
                try {
                    Thread.sleep(fault.stall().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Closes only once the client has closed its side: closing with unread bytes would send a reset. */
        private void drainAndClose() {
            try {
                client.setSoTimeout(10_000);
                client.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closing anyway
            }
            closeBoth();
        }

        private void answer(int status) throws IOException {
            byte[] body = ("fault injected by FaultProxy: HTTP " + status + "\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " Injected Fault\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            client.shutdownOutput();
            drainAndClose();
        }

        void reset() {
            try {
                client.setSoLinger(true, 0); // close() then sends RST, not FIN
            } catch (SocketException ignored) {
                // already closed
            }
            closeBoth();
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.remove(this);
        }
    }

    /** An HTTP/1.1 message head as read from the wire, kept byte for byte to relay it. */
    private record HttpHead(String method, String path, byte[] bytes, long contentLength, boolean chunked) {

        static HttpHead read(InputStream in) throws IOException {
            byte[] bytes = readHead(in);
            if (bytes == null) {
                return null;
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
            return new HttpHead(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", bytes, contentLength(text),
                    text.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked"));
        }

        /** Up to and including the blank line; null at the end of the stream before any byte. */
        static byte[] readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return head.toByteArray();
                }
                if (head.size() > 1 << 20) {
                    throw new IOException("an HTTP head of more than 1 MiB");
                }
            }
            if (head.size() == 0) {
                return null;
            }
            throw new IOException("the stream ended inside an HTTP head");
        }

        /** The next final response head (1xx heads are relayed as they come). */
        static byte[] readResponseHead(InputStream in, OutputStream out) throws IOException {
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    throw new IOException("the server closed before answering");
                }
                if (!new String(head, 0, Math.min(head.length, 12), StandardCharsets.ISO_8859_1).matches("HTTP/1\\.[01] 1\\d\\d")) {
                    return head;
                }
                out.write(head);
            }
        }

        static long contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return -1;
        }

        void copyBody(InputStream in, OutputStream out) throws IOException {
            if (chunked) {
                copyChunked(in, out);
            } else if (contentLength > 0) {
                long left = contentLength;
                byte[] buffer = new byte[16_384];
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("the client closed inside a request body");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }

        void skipBody(InputStream in) throws IOException {
            copyBody(in, OutputStream.nullOutputStream());
        }

        private static void copyChunked(InputStream in, OutputStream out) throws IOException {
            while (true) {
                String sizeLine = line(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = line(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return;
                }
                out.write(in.readNBytes(size + 2)); // the chunk and its CRLF
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
            if (b < 0) {
                throw new IOException("the stream ended inside a chunked body");
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + mode + " 127.0.0.1:" + port() + " -> " + targetPort + ", armed " + new ArrayList<>(faults) + "]";
    }
}
