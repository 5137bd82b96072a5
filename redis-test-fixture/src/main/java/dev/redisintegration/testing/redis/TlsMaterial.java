package dev.redisintegration.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and one server certificate (SAN localhost, 127.0.0.1), generated once per JVM
 * with the {@code openssl} CLI. One CA for every TLS server lets a TLS replica verify its TLS primary.
 */
final class TlsMaterial {

    static final String TRUST_STORE_PASSWORD = "redis-fixture";

    private static TlsMaterial shared;

    final Path directory;
    final Path caCertificate;
    final Path serverCertificate;
    final Path serverKey;
    final Path trustStore;
    final SSLContext sslContext;

    private TlsMaterial(Path directory) throws IOException, GeneralSecurityException {
        this.directory = directory;
        this.caCertificate = directory.resolve("ca.crt");
        this.serverCertificate = directory.resolve("redis.crt");
        this.serverKey = directory.resolve("redis.key");
        this.trustStore = directory.resolve("truststore.p12");
        generate();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream pem = Files.newInputStream(caCertificate)) {
            X509Certificate ca =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            store.setCertificateEntry("redis-fixture-ca", ca);
        }
        try (OutputStream file = Files.newOutputStream(trustStore)) {
            store.store(file, TRUST_STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        this.sslContext = context;
    }

    static synchronized TlsMaterial shared() {
        if (shared == null) {
            Path directory = null;
            try {
                directory = Files.createTempDirectory("redis-fixture-tls-");
                RedisServer.deleteOnExit(directory);
                shared = new TlsMaterial(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot generate TLS certificates for the test Redis in " + directory, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot load the generated test CA certificate from " + directory, e);
            }
        }
        return shared;
    }

    private void generate() throws IOException {
        Path extensions = directory.resolve("server-ext.cnf");
        Files.writeString(
                extensions,
                String.join(
                        "\n",
                        "basicConstraints=CA:FALSE",
                        "keyUsage=critical,digitalSignature,keyEncipherment",
                        "extendedKeyUsage=serverAuth,clientAuth",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1",
                        ""),
                StandardCharsets.US_ASCII);
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-days",
                "2",
                "-subj",
                "/CN=redis-fixture test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt");
        openssl(
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "redis.key",
                "-out",
                "redis.csr");
        openssl(
                "x509",
                "-req",
                "-in",
                "redis.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-sha256",
                "-extfile",
                extensions.getFileName().toString(),
                "-out",
                "redis.crt");
        // Redis in a container runs as an unprivileged user: the key must be readable after copying.
        serverKey.toFile().setReadable(true, false);
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = directory.resolve("openssl.log");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot run `openssl` to generate test certificates: install OpenSSL so `openssl` is on PATH", e);
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl " + args[0] + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed with exit code " + process.exitValue()
                    + ":\n" + RedisServer.tail(output, 20));
        }
    }
}
