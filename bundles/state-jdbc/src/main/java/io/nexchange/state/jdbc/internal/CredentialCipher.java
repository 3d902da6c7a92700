package io.nexchange.state.jdbc.internal;

import io.nexchange.api.auth.Secret;
import io.nexchange.state.credentials.CredentialException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AES-256-GCM with a fresh random 96-bit nonce per value and the row's identity (e-mail, username) as
 * associated data, so a ciphertext copied onto another user's row does not decrypt. The key (32 random
 * bytes, base64 in a file of mode 0600) is read once; it never appears in a log or a message, only its id
 * (a truncated SHA-256 of it) does.
 */
final class CredentialCipher {
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String FORMAT = "v1:";
    private static final Logger LOG = LoggerFactory.getLogger(CredentialCipher.class);

    private final SecretKeySpec key;
    private final String keyId;
    private final Path keyFile;
    private final SecureRandom random;

    private CredentialCipher(byte[] keyBytes, Path keyFile, SecureRandom random) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.keyId = keyId(keyBytes);
        this.keyFile = keyFile;
        this.random = random;
        Arrays.fill(keyBytes, (byte) 0);
    }

    /** Reads the key file. */
    static CredentialCipher load(Path keyFile) throws CredentialException {
        if (!Files.exists(keyFile)) {
            throw new CredentialException("credential key file " + keyFile + " does not exist");
        }
        warnIfReadableByOthers(keyFile);
        byte[] keyBytes;
        try {
            String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
            keyBytes = Base64.getDecoder().decode(text);
        } catch (IOException e) {
            throw new CredentialException("cannot read credential key file " + keyFile + ": " + e.getClass().getSimpleName()
                    + " " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CredentialException("credential key file " + keyFile + " is not base64 text of " + KEY_BYTES
                    + " bytes; restore the original file, or remove it (and re-import the credentials) to get a new key");
        }
        if (keyBytes.length != KEY_BYTES) {
            Arrays.fill(keyBytes, (byte) 0);
            throw new CredentialException("credential key file " + keyFile + " holds " + keyBytes.length + " bytes, not "
                    + KEY_BYTES + "; restore the original file, or remove it (and re-import the credentials) to get a new key");
        }
        return new CredentialCipher(keyBytes, keyFile, new SecureRandom());
    }

    /**
     * Creates a new key file with mode 0600, unless one appears meanwhile (then that one is loaded). The
     * file is written beside the target and linked into place, so a reader never sees it half-written.
     */
    static CredentialCipher createOrLoad(Path keyFile) throws CredentialException {
        if (Files.exists(keyFile)) {
            return load(keyFile);
        }
        SecureRandom random = new SecureRandom();
        byte[] keyBytes = new byte[KEY_BYTES];
        random.nextBytes(keyBytes);
        Path directory = keyFile.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = writtenBeside(directory, keyBytes);
            try {
                Files.createLink(keyFile, temporary); // fails if another instance created the file first
            } catch (FileAlreadyExistsException e) {
                Arrays.fill(keyBytes, (byte) 0);
                return load(keyFile);
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, keyFile); // no hard links here: not atomic, but fails if the file exists
                temporary = null;
            }
            LOG.info("Created a new credential key file {} (key id {}); instances sharing this database need a copy of it",
                    keyFile, keyId(keyBytes));
            return new CredentialCipher(keyBytes, keyFile, random);
        } catch (FileAlreadyExistsException e) {
            Arrays.fill(keyBytes, (byte) 0);
            return load(keyFile);
        } catch (IOException e) {
            Arrays.fill(keyBytes, (byte) 0);
            throw new CredentialException("cannot create credential key file " + keyFile + ": " + e.getClass().getSimpleName()
                    + " " + e.getMessage() + " (check that the directory is writable, or configure another"
                    + " io.nexchange.state.jdbc 'credentials.key.file')");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover .tmp beside the key file holds the same key and is mode 0600
                }
            }
        }
    }

    /** A new random key for {@code keyFile}, in memory only until {@link #writeTo} (key rotation). */
    static CredentialCipher generate(Path keyFile) {
        SecureRandom random = new SecureRandom();
        byte[] keyBytes = new byte[KEY_BYTES];
        random.nextBytes(keyBytes);
        return new CredentialCipher(keyBytes, keyFile, random);
    }

    /**
     * Writes the key to {@code file} (mode 0600), replacing what is there atomically: the file is written beside it, synced,
     * then moved over it, so a reader or a crash never sees half a key.
     */
    void writeTo(Path file) throws CredentialException {
        byte[] keyBytes = key.getEncoded();
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = writtenBeside(directory, keyBytes);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        } catch (IOException e) {
            throw new CredentialException("cannot write credential key file " + file + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage() + " (check that the directory is writable)");
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover .tmp is mode 0600
                }
            }
        }
    }

    /** The key as base64 text in a new file (mode 0600) in the directory, synced; the caller moves or links it into place. */
    private static Path writtenBeside(Path directory, byte[] keyBytes) throws IOException {
        Path temporary = posix(directory)
                ? Files.createTempFile(directory, ".credentials", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, ".credentials", ".tmp");
        Files.writeString(temporary, Base64.getEncoder().encodeToString(keyBytes) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        return temporary;
    }

    String keyId() {
        return keyId;
    }

    Path keyFile() {
        return keyFile;
    }

    /** base64(nonce || ciphertext || tag) with the FORMAT prefix. */
    String encrypt(Secret secret, String email, String username) throws CredentialException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = utf8(secret);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(email, username));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return FORMAT + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new CredentialException("cannot encrypt the credential of " + email + ": " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    Secret decrypt(String stored, String storedKeyId, String email, String username) throws CredentialException {
        if (!keyId.equals(storedKeyId)) {
            throw new CredentialException("the credential of " + email + " was encrypted with key " + storedKeyId
                    + ", but the key file " + keyFile + " holds key " + keyId + ": configure the key file it was stored with"
                    + " (io.nexchange.state.jdbc 'credentials.key.file'; instances sharing a database need the same file),"
                    + " or import the credentials again");
        }
        if (!stored.startsWith(FORMAT)) {
            throw new CredentialException("the stored credential of " + email + " has an unknown format; import it again");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(stored.substring(FORMAT.length()));
        } catch (IllegalArgumentException e) {
            throw new CredentialException("the stored credential of " + email + " is damaged (not base64); import it again");
        }
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CredentialException("the stored credential of " + email + " is damaged (too short); import it again");
        }
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(email, username));
            plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
            char[] value = new char[chars.remaining()];
            chars.get(value);
            Arrays.fill(chars.array(), '\0');
            Secret secret = Secret.of(value);
            Arrays.fill(value, '\0');
            return secret;
        } catch (AEADBadTagException e) {
            throw new CredentialException("the stored credential of " + email + " does not authenticate under key " + keyId
                    + " (changed in the database, or copied from another user's row); import it again");
        } catch (GeneralSecurityException e) {
            throw new CredentialException("cannot decrypt the credential of " + email + ": " + e.getClass().getSimpleName());
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] associatedData(String email, String username) {
        return ("nexchange-credential-v1\n" + email + "\n" + username).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(Secret secret) {
        char[] chars = secret.revealChars();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    static String keyId(byte[] keyBytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("nexchange-credential-key-id\n".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(keyBytes), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean posix(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void warnIfReadableByOthers(Path keyFile) {
        try {
            if (posix(keyFile.toAbsolutePath().getParent())) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
                if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    LOG.warn("Credential key file {} is readable by other users ({}); chmod 600 it",
                            keyFile, PosixFilePermissions.toString(permissions));
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot read the permissions of {}", keyFile, e);
        }
    }
}
