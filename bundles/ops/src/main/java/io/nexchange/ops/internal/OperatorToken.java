package io.nexchange.ops.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The operator token ({@code tokenFile}, {@code data/ops.token}): what {@code POST /console}, API clients and the
 * console's login ask for. Created at random (192 bits) with owner-only permissions when missing; never logged or
 * shown.
 */
@Component(service = OperatorToken.class, configurationPid = HttpEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class OperatorToken {
    private final byte[] token;

    @Activate
    public OperatorToken(BundleContext context, OpsHttpConfiguration config) throws IOException {
        String base = context.getProperty("nexchange.base");
        this.token = loadOrCreate(Path.of(base == null ? "." : base).resolve(config.tokenFile()));
    }

    OperatorToken(byte[] token) {
        this.token = token.clone();
    }

    /** Whether the presented value is the token (constant time; surrounding blanks ignored). */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
        }
        Files.createDirectories(file.getParent());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        Path temp = Files.createTempFile(file.getParent(), ".ops-token-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, value + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
