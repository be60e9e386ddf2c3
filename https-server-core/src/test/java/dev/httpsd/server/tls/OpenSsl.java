package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Key and certificate files made with the {@code openssl} command line, as users make them. */
final class OpenSsl {

    static final String PASSWORD = "s3cret-pass";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OpenSsl() {}

    /** Runs {@code openssl} with these arguments and fails the test when it fails. */
    static String run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        ExternalProcess.Result result = ExternalProcess.run(TIMEOUT, null, command);
        assertThat(result.exitCode())
                .as("%s\n%s", String.join(" ", command), result.output())
                .isZero();
        return result.output();
    }

    /** {@code openssl genrsa -traditional}: an unencrypted PKCS#1 RSA key. */
    static Path rsaPkcs1(Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        run("genrsa", "-traditional", "-out", key.toString(), "2048");
        return key;
    }

    /** {@code openssl ecparam -genkey}: a SEC1 EC key, preceded by its EC PARAMETERS block. */
    static Path ecSec1(Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        run("ecparam", "-genkey", "-name", "prime256v1", "-out", key.toString());
        return key;
    }

    /** {@code openssl pkcs8 -topk8 -nocrypt}: unencrypted PKCS#8. */
    static Path pkcs8(Path source, Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        run("pkcs8", "-topk8", "-nocrypt", "-in", source.toString(), "-out", key.toString());
        return key;
    }

    /** {@code openssl pkcs8 -topk8 -v2 aes256}: encrypted PKCS#8 with {@link #PASSWORD}. */
    static Path encryptedPkcs8(Path source, Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        run(
                "pkcs8",
                "-topk8",
                "-v2",
                "aes256",
                "-in",
                source.toString(),
                "-out",
                key.toString(),
                "-passout",
                "pass:" + PASSWORD);
        return key;
    }

    /** {@code openssl rsa -aes256 -traditional}: legacy {@code Proc-Type: 4,ENCRYPTED} PKCS#1. */
    static Path legacyEncryptedRsa(Path source, Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        run(
                "rsa",
                "-aes256",
                "-traditional",
                "-in",
                source.toString(),
                "-out",
                key.toString(),
                "-passout",
                "pass:" + PASSWORD);
        return key;
    }

    /** {@code openssl req -x509}: a self-signed certificate for localhost and 127.0.0.1. */
    static Path selfSigned(Path key, Path dir, String name) throws Exception {
        Path certificate = dir.resolve(name);
        run(
                "req",
                "-x509",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-days",
                "2",
                "-out",
                certificate.toString());
        return certificate;
    }

    /** {@code openssl pkcs12 -export} with {@link #PASSWORD}. */
    static Path pkcs12(Path certificate, Path key, Path dir, String name) throws Exception {
        Path store = dir.resolve(name);
        run(
                "pkcs12",
                "-export",
                "-inkey",
                key.toString(),
                "-in",
                certificate.toString(),
                "-name",
                "server",
                "-out",
                store.toString(),
                "-passout",
                "pass:" + PASSWORD);
        return store;
    }

    /**
     * {@code openssl s_client -connect 127.0.0.1:port -servername localhost} plus {@code
     * arguments}; stdin gets {@code input} (may be null) and is then closed, which ends the session.
     */
    static ExternalProcess.Result sClient(int port, String input, String... arguments) throws Exception {
        return ExternalProcess.run(TIMEOUT, input, sClientCommand(port, arguments));
    }

    /** Whether this openssl can offer any cipher of {@code cipherList} ({@code openssl ciphers}). */
    static boolean supportsCipher(String cipherList) throws Exception {
        return ExternalProcess.run(TIMEOUT, "openssl", "ciphers", cipherList).exitCode() == 0;
    }

    /** Whether this openssl's {@code s_client} knows {@code option} (e.g. {@code -ssl3}). */
    static boolean sClientHasOption(String option) throws Exception {
        String help =
                ExternalProcess.run(TIMEOUT, "openssl", "s_client", "-help").output();
        return help.lines().map(String::strip).anyMatch(line -> line.startsWith(option + " "));
    }

    /**
     * One request through {@code openssl s_client}: sends {@code request}, keeps stdin open until
     * {@code awaitText} shows in the output (a TLS 1.3 ticket arrives after the handshake, so
     * closing stdin at once would lose it), then closes it and waits for the exit.
     *
     * @return everything s_client printed
     */
    static String exchange(int port, String request, String awaitText, String... arguments) throws Exception {
        try (ExternalProcess openssl = ExternalProcess.start(sClientCommand(port, arguments))) {
            openssl.write(request);
            assertThat(openssl.awaitOutput(awaitText, TlsFixtures.PATIENCE))
                    .as(openssl.output())
                    .isTrue();
            openssl.closeInput();
            openssl.awaitExit(TlsFixtures.PATIENCE);
            return openssl.output();
        }
    }

    static List<String> sClientCommand(int port, String... arguments) {
        List<String> command = new ArrayList<>(
                List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost"));
        command.addAll(List.of(arguments));
        return command;
    }
}
