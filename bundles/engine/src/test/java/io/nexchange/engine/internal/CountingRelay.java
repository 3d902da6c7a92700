package io.nexchange.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a server that counts the bytes each way: what a DAV client sends and receives,
 * headers included, for the request/byte figures of {@code DavFetchCostTest}. (Radicale logs requests but not sizes.)
 */
final class CountingRelay implements AutoCloseable {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "counting-relay");
        t.setDaemon(true);
        return t;
    });

    CountingRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pumps.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pumps.execute(() -> pump(client, upstream, sent));
                pumps.execute(() -> pump(upstream, client, received));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies until either side ends, then closes both (Radicale closes after each answer). */
    private static void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                counter.addAndGet(n);
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pumps.shutdownNow();
    }
}
