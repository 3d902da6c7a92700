package io.nexchange.sandbox.internal;

import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone sandbox: {@code --users N --seed S --port P --state-dir DIR [--events N] [--contacts N]
 * [--mix EMPTY/SMALL/BUSY] [--cached-mailboxes N]}.
 * Prints where to connect; the demo client secret stays in a file of the state dir.
 */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        SandboxOptions o = SandboxOptions.defaults().stateDir(Path.of("sandbox-state"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--users" -> o.users(Integer.parseInt(v));
                case "--seed" -> o.seed(Long.parseLong(v));
                case "--port" -> o.port(Integer.parseInt(v));
                case "--state-dir" -> o.stateDir(Path.of(v));
                case "--events" -> o.eventsPerMailbox(Integer.parseInt(v));
                case "--contacts" -> o.contactsPerMailbox(Integer.parseInt(v));
                case "--mix" -> o.mailboxMix(v);
                case "--cached-mailboxes" -> o.cachedMailboxes(Integer.parseInt(v));
                case "--help", "-h" -> {
                    System.out.println("usage: SandboxMain [--users N] [--seed S] [--port P] [--state-dir DIR] [--events N] [--contacts N]"
                            + " [--mix EMPTY/SMALL/BUSY] [--cached-mailboxes N]");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown option " + a + " (try --help)");
            }
            i++;
        }
        SandboxServer server = SandboxServer.start(o);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "sandbox-shutdown"));
        System.out.println("Nexchange sandbox (Microsoft 365 emulator) is running");
        System.out.println("  base URL          " + server.baseUrl());
        System.out.println("  Graph base URL    " + server.graphBaseUrl());
        System.out.println("  authority         " + server.authority());
        System.out.println("  tenant id         " + server.tenantId() + " (" + server.tenantDomain() + ")");
        System.out.println("  client id         " + server.demoApp().clientId());
        System.out.println("  client secret in  " + server.demoSecretFile());
        System.out.println("  truststore        " + server.truststorePath() + " (PKCS12, password in "
                + server.stateDir().resolve("sandbox.properties") + ")");
        System.out.println("  mailboxes         " + server.mailboxes().size() + ", e.g. " + server.mailboxes().get(0));
        System.out.println("  admin API         " + server.baseUrl() + "/_sandbox/info");
        System.out.flush();
        stop.await();
    }
}
