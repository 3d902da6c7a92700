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
 * operator endpoint).
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
                System.exit(new Demo(home, demoBase, rest).run());
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
            default:
                System.err.println("usage: nexchange run | console | demo | status | exec '<console command>'");
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

    /** Calls the operator endpoint of the instance running in {@code base}, with the token from its data/. */
    static int remote(Path base, String method, String path, String body) throws IOException, InterruptedException {
        URI endpoint = opsEndpoint(base);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofMinutes(10));
        Path tokenFile = base.resolve("data/ops.token");
        if (Files.isReadable(tokenFile)) {
            request.header("X-Nexchange-Token", Files.readString(tokenFile).strip());
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            System.out.print(response.body());
            return response.statusCode() / 100 == 2 ? 0 : 1;
        } catch (java.net.ConnectException e) {
            System.err.println("Nexchange is not running at " + endpoint + " (start it with 'bin/nexchange run'; "
                    + "the port is set in " + base.resolve("etc/io.nexchange.ops.http.cfg") + ")");
            return 3;
        }
    }
}
