package io.nexchange.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Entry point of {@code bin/nexchange}. Sub-commands: {@code run} (the service, no shell), {@code console}
 * (the service with the Gogo shell on this terminal), {@code demo} (the main job on embedded defaults, in
 * ./nexchange-demo), {@code status} and {@code exec} (talk to a running instance over its loopback
 * operator endpoint), {@code await-ready} (waits for the readiness of a starting instance: the systemd unit's
 * ExecStartPost and the container's health check).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        Path home = RuntimeHome.locate();
        switch (command) {
            case "run":
                System.exit(new Launcher(home, RuntimeHome.base(home), false).runUntilStopped());
                break;
            case "console":
                System.exit(new Launcher(home, RuntimeHome.base(home), true).runUntilStopped());
                break;
            case "demo":
                Path demoBase = RuntimeHome.base(Path.of("nexchange-demo").toAbsolutePath());
                Demo demo;
                try {
                    demo = Demo.parse(home, demoBase, rest);
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    System.err.print(Demo.USAGE);
                    System.exit(2);
                    return;
                }
                System.exit(demo.run());
                break;
            case "status":
                System.exit(remote(RuntimeHome.base(home), "GET", "/status.txt", null));
                break;
            case "exec":
                if (rest.isEmpty()) {
                    System.err.println("usage: nexchange exec '<console command>'   e.g. nexchange exec 'nexchange:features'");
                    System.exit(2);
                }
                System.exit(remote(RuntimeHome.base(home), "POST", "/console", String.join(" ", rest)));
                break;
            case "await-ready":
                System.exit(awaitReady(RuntimeHome.base(home), rest));
                break;
            default:
                System.err.println("usage: nexchange run | console | demo | status | exec '<console command>' | await-ready [SECONDS]");
                System.exit(2);
        }
    }

    /** Base URL of the operator endpoint of the instance in {@code base} (from its etc/). */
    static URI opsEndpoint(Path base) throws IOException {
        Properties http = RuntimeHome.readCfg(base.resolve("etc/io.nexchange.ops.http.cfg"));
        String host = http.getProperty("host", "127.0.0.1").strip();
        String port = http.getProperty("port", "8181").strip();
        return URI.create("http://" + host + ":" + port);
    }

    /** An answer of the operator endpoint. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** Calls the operator endpoint of the instance running in {@code base}, with the token from its data/. */
    static Answer call(Path base, String method, String path, String body) throws IOException, InterruptedException {
        URI endpoint = opsEndpoint(base);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofMinutes(10));
        Path tokenFile = base.resolve("data/ops.token");
        if (Files.isReadable(tokenFile)) {
            request.header("X-Nexchange-Token", Files.readString(tokenFile).strip());
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.body());
    }

    /**
     * Polls {@code /health/ready} of the instance in {@code base} until it answers 200 (exit code 0) or the time
     * given in seconds (default 120) is up (exit code 1, with the last answer: the reasons it is not ready).
     */
    static int awaitReady(Path base, List<String> args) throws IOException, InterruptedException {
        long seconds;
        try {
            seconds = args.isEmpty() ? 120 : Long.parseLong(args.get(0));
        } catch (NumberFormatException e) {
            System.err.println("usage: nexchange await-ready [SECONDS]   (got '" + args.get(0) + "')");
            return 2;
        }
        long startedAt = System.nanoTime();
        long deadline = startedAt + Duration.ofSeconds(seconds).toNanos();
        String last = "no answer";
        while (true) {
            try {
                Answer answer = call(base, "GET", "/health/ready", null);
                if (answer.ok()) {
                    System.out.printf("Nexchange is ready (%d ms)%n", Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
                    return 0;
                }
                last = answer.status() + " " + answer.body().strip();
            } catch (java.net.ConnectException e) {
                last = "nothing listens at " + opsEndpoint(base) + " yet";
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Nexchange is not ready after " + seconds + " s: " + last);
                return 1;
            }
            Thread.sleep(250);
        }
    }

    /** {@link #call} and prints the answer; the exit code of {@code status} and {@code exec}. */
    static int remote(Path base, String method, String path, String body) throws IOException, InterruptedException {
        try {
            Answer answer = call(base, method, path, body);
            System.out.print(answer.body());
            return answer.ok() ? 0 : 1;
        } catch (java.net.ConnectException e) {
            System.err.println("Nexchange is not running at " + opsEndpoint(base) + " (start it with 'bin/nexchange run'; "
                    + "the port is set in " + base.resolve("etc/io.nexchange.ops.http.cfg") + ")");
            return 3;
        }
    }
}
