package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.IssuedCertificate;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

class KubeletServingCertificateTest {

  @Test
  void theGeneratedCertificateNamesTheServedNodesAndIsReissuedWhenTheyChange() throws Exception {
    KubeletServingCertificate generated = KubeletServingCertificate.generated("10.9.8.7");
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(generated.keyStore());
    ssl.setKeyStorePassword(new String(KubeletServingCertificate.PASSWORD));
    Server server = new Server();
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory());
    server.addConnector(connector);
    server.start();
    try {
      int port = connector.getLocalPort();
      assertThat(dnsNames(servedCertificate(port, generated.caPem()))).containsExactly("localhost");

      generated.nodeNames(Set.of("vn-b", "vn-a"), ssl);
      X509Certificate served = servedCertificate(port, generated.caPem());
      assertThat(dnsNames(served)).containsExactly("localhost", "vn-a", "vn-b");
      assertThat(served.getSubjectAlternativeNames())
          .as("the address stays")
          .contains(List.of(7, "10.9.8.7"));

      generated.nodeNames(Set.of("vn-b"), ssl);
      assertThat(dnsNames(servedCertificate(port, generated.caPem())))
          .containsExactly("localhost", "vn-b");
    } finally {
      server.stop();
    }
  }

  /** The certificate a TLS client trusting only {@code caPem} is served on {@code port}. */
  private static X509Certificate servedCertificate(int port, String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new java.io.ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static List<String> dnsNames(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .filter(san -> (Integer) san.get(0) == 2)
        .map(san -> (String) san.get(1))
        .toList();
  }

  private static final CertificateAuthority CA = CertificateAuthority.create("test CA");
  private static final IssuedCertificate SERVING =
      CA.issueServer("kubelet", List.of("node-a"), List.of("10.1.2.3"));

  @Test
  void aTlsSecretGivesTheKeyStoreAndItsCa() throws Exception {
    KubeletServingCertificate.Parsed parsed =
        KubeletServingCertificate.parse(
            secret(
                "kubernetes.io/tls",
                Map.of(
                    "tls.crt", SERVING.certificatePem(),
                    "tls.key", SERVING.privateKeyPem(),
                    "ca.crt", CA.certificatePem())));

    assertThat((X509Certificate) parsed.keyStore().getCertificate("key"))
        .isEqualTo(SERVING.certificate());
    assertThat(parsed.caPem()).isEqualTo(CA.certificatePem());
  }

  @Test
  void withoutCaCrtThereIsNoCaToHandOn() {
    KubeletServingCertificate.Parsed parsed =
        KubeletServingCertificate.parse(
            secret(
                "kubernetes.io/tls",
                Map.of("tls.crt", SERVING.certificatePem(), "tls.key", SERVING.privateKeyPem())));

    assertThat(parsed.caPem()).isNull();
  }

  @Test
  void anotherTypeOrAMissingKeyIsRefusedSayingWhy() {
    assertThatThrownBy(
            () ->
                KubeletServingCertificate.parse(
                    secret("Opaque", Map.of("tls.crt", SERVING.certificatePem()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("its type is Opaque, not kubernetes.io/tls");
    assertThatThrownBy(
            () ->
                KubeletServingCertificate.parse(
                    secret("kubernetes.io/tls", Map.of("tls.crt", SERVING.certificatePem()))))
        .hasMessageContaining("it has no tls.key");
    assertThatThrownBy(
            () ->
                KubeletServingCertificate.parse(
                    new SecretBuilder()
                        .withType("kubernetes.io/tls")
                        .addToData("tls.crt", "%%%")
                        .addToData("tls.key", "%%%")
                        .build()))
        .hasMessageContaining("tls.crt is not base64");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    IssuedCertificate other = CA.issueServer("other", List.of("x"), List.of());

    assertThatThrownBy(
            () ->
                KubeletServingCertificate.parse(
                    secret(
                        "kubernetes.io/tls",
                        Map.of(
                            "tls.crt", SERVING.certificatePem(),
                            "tls.key", other.privateKeyPem()))))
        .hasMessageContaining("tls.key is not the private key");
  }

  @Test
  void theGeneratedCertificateNamesLocalhostAndTheNodeAddress() throws Exception {
    KubeletServingCertificate generated = KubeletServingCertificate.generated("10.9.8.7");

    X509Certificate served = (X509Certificate) generated.keyStore().getCertificate("key");
    assertThat(served.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
        .containsExactlyInAnyOrder("localhost", "10.9.8.7");
    assertThat(generated.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  private static Secret secret(String type, Map<String, String> text) {
    Map<String, String> data = new LinkedHashMap<>();
    text.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName("s")
        .endMetadata()
        .withType(type)
        .withData(data)
        .build();
  }
}
