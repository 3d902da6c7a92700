package io.nexchange.ops.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one console command in a fresh Gogo session and captures what it prints and returns. */
@Component(service = RemoteConsole.class)
public final class RemoteConsole {
    private static final java.util.regex.Pattern READ_ONLY =
            java.util.regex.Pattern.compile("\\s*(nexchange:)?(status|sync-status|bundles|throttling|features( list)?)\\s*");
    private static final Logger LOG = LoggerFactory.getLogger(RemoteConsole.class);

    private final CommandProcessor processor;

    /** Output and outcome of one command. */
    record Result(boolean ok, String output) {}

    @Activate
    public RemoteConsole(@Reference CommandProcessor processor) {
        this.processor = processor;
    }

    /** The Gogo session variable that tells a command who sent it (for commands that log it, e.g. nexchange:conflicts). */
    static final String OPERATOR = "nexchange.operator";

    /** @param operator who sent the command, set as the session variable {@value #OPERATOR} (null: not known) */
    Result execute(String command, String operator) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        if (READ_ONLY.matcher(command).matches()) {
            LOG.debug("Remote console: {}", command); // polled by scripts and the demo: not worth an INFO line each
        } else {
            LOG.info("Remote console: {}", command);
        }
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            if (operator != null) {
                session.put(OPERATOR, operator);
            }
            Object value = session.execute(command);
            if (value != null) {
                CharSequence formatted = session.format(value, Converter.INSPECT);
                out.println(formatted);
            }
            out.flush();
            return new Result(true, buffer.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            out.println("Error: " + e.getMessage());
            out.flush();
            return new Result(false, buffer.toString(StandardCharsets.UTF_8));
        }
    }
}
