package com.gpudash.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.RuntimeUnavailableException;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with client certificates, as a Docker Engine started with {@code --tlsverify} demands it, against an HTTPS
 * server of the test's own that requires a client certificate from its CA and answers like the engine's API.
 */
class DockerTlsTest {

    @TempDir
    Path certificates;

    private final List<String> clientsSeen = new CopyOnWriteArrayList<>();
    private final DockerContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults());
    private HttpsServer engine;
    private Authority authority;

    @BeforeEach
    void startEngine() throws Exception {
        authority = new Authority("gpudash test CA");
        Identity server = authority.issue("docker engine", true);
        engine = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers(server), trustManagers(authority.certificate), null);
        engine.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters required = tls.getDefaultSSLParameters();
                required.setNeedClientAuth(true);
                parameters.setSSLParameters(required);
            }
        });
        engine.createContext("/", exchange -> {
            X509Certificate client = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            clientsSeen.add(client.getSubjectX500Principal().getName());
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        engine.start();
    }

    @AfterEach
    void stop() {
        runtime.close();
        engine.stop(0);
    }

    @Test
    void presentsTheClientCertificateOfTheServersDirectory() throws Exception {
        Path directory = certificates.resolve("good");
        authority.writeDirectory(directory, authority.issue("gpudash manager", false));

        assertThat(runtime.listContainers(tlsEndpoint(directory), Map.of())).isEmpty();
        assertThat(clientsSeen).containsExactly("CN=gpudash manager");
    }

    @Test
    void aClientCertificateFromAnotherAuthorityIsRefused() throws Exception {
        Authority stranger = new Authority("someone else's CA");
        Path directory = certificates.resolve("foreign-client");
        // Trusts the engine, but presents a certificate the engine does not trust.
        stranger.writeDirectory(directory, stranger.issue("intruder", false), authority.certificate);

        // Under TLS 1.3 the client may learn of the refusal only as a closed connection ("Broken pipe"), which
        // cannot be told from a network failure, so this may read as retriable; it is refused either way.
        assertThatThrownBy(() -> runtime.listContainers(tlsEndpoint(directory), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class);
        assertThat(clientsSeen).isEmpty();
    }

    @Test
    void anEngineCertificateFromAnotherAuthorityIsRefused() throws Exception {
        Authority stranger = new Authority("someone else's CA");
        Path directory = certificates.resolve("foreign-ca");
        stranger.writeDirectory(directory, stranger.issue("gpudash manager", false));

        assertThatThrownBy(() -> runtime.listContainers(tlsEndpoint(directory), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .isNotInstanceOf(RuntimeUnavailableException.class)
                .hasMessageContaining("TLS");
    }

    private DockerEndpoint tlsEndpoint(Path directory) {
        return new DockerEndpoint(URI.create("tcp://127.0.0.1:" + engine.getAddress().getPort()), directory, false, null);
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Identity identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", identity.keys.getPrivate(), new char[0], new X509Certificate[] {identity.certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory.getKeyManagers();
    }

    private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate authority) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", authority);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private record Identity(KeyPair keys, X509Certificate certificate) {
    }

    /** A throw-away certificate authority issuing certificates valid for 127.0.0.1. */
    private static final class Authority {

        private final KeyPair keys = newKeyPair();
        private final X500Name name;
        private final X509Certificate certificate;
        private long serial = 1;

        Authority(String commonName) throws Exception {
            name = new X500Name("CN=" + commonName);
            certificate = sign(name, keys, new BasicConstraints(true), null);
        }

        Identity issue(String commonName, boolean forServer) throws Exception {
            KeyPair subject = newKeyPair();
            GeneralNames loopback = forServer ? new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}) : null;
            return new Identity(subject, sign(new X500Name("CN=" + commonName), subject, new BasicConstraints(false), loopback));
        }

        /** Writes ca.pem, cert.pem and key.pem as Docker's client reads them; the CA trusted is this one unless named. */
        void writeDirectory(Path directory, Identity client, X509Certificate... trusted) throws IOException {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("ca.pem"), pem(trusted.length == 0 ? certificate : trusted[0]));
            Files.writeString(directory.resolve("cert.pem"), pem(client.certificate));
            Files.writeString(directory.resolve("key.pem"), pem(new JcaPKCS8Generator(client.keys.getPrivate(), null)));
        }

        private X509Certificate sign(X500Name subject, KeyPair subjectKeys, BasicConstraints constraints, GeneralNames alternativeNames)
                throws Exception {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name == null ? subject : name,
                    BigInteger.valueOf(serial++), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, constraints);
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }

        private static KeyPair newKeyPair() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(256);
                return generator.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(Object object) throws IOException {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(object);
            }
            return text.toString();
        }
    }
}
