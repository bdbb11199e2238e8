package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.IssuedCertificate;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kubelet API's serving certificate from a {@code kubernetes.io/tls} Secret
 * (AVN_KUBELET_SERVING_SECRET), against the real API server: served and verifiable against the
 * Secret's CA, a rotation served without a restart, a bad rotation refused (the old certificate
 * stays, a Warning Event says why), a bad or missing Secret at start refused with the reason.
 */
@ExtendWith(KubernetesClusterExtension.class)
class KubeletServingSecretIT {
  private static final long TIMEOUT = 120;
  private static final CertificateAuthority CA = CertificateAuthority.create("serving test CA");

  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    namespace = "avn-serving-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @Test
  void theSecretsCertificateIsServedAndVerifiesAgainstItsCaWithItsSans() throws Exception {
    IssuedCertificate issued = issue("node-a", "node-b");
    secret("serving-a", issued, issued.privateKeyPem());

    try (KubeletServer kubelet = KubeletServer.start(client, config("serving-a"), tls())) {
      X509Certificate served = served(kubelet.port());

      assertThat(served).isEqualTo(issued.certificate());
      assertThat(
              served.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
          .contains("node-a", "node-b", "127.0.0.1");
      assertThat(kubelet.servingCaPem()).isEqualTo(CA.certificatePem());
    }
  }

  @Test
  void aRotatedSecretIsServedWithoutARestartAndABadRotationKeepsTheOldCertificate()
      throws Exception {
    IssuedCertificate first = issue("node-a");
    secret("serving-r", first, first.privateKeyPem());
    try (KubeletServer kubelet = KubeletServer.start(client, config("serving-r"), tls())) {
      assertThat(served(kubelet.port())).isEqualTo(first.certificate());

      IssuedCertificate second = issue("node-a", "node-c");
      secret("serving-r", second, second.privateKeyPem());
      X509Certificate rotated = servedOnceItIs(kubelet.port(), second.certificate());

      assertThat(rotated).isEqualTo(second.certificate());

      IssuedCertificate third = issue("node-d");
      secret("serving-r", third, first.privateKeyPem()); // not the key of third's certificate
      Event warning = warningAbout("serving-r");

      assertThat(warning.getMessage())
          .contains("was not loaded, the current certificate stays")
          .contains("tls.key is not the private key");
      assertThat(served(kubelet.port())).isEqualTo(second.certificate());
    }
  }

  @Test
  void aMissingOrBadSecretAtStartIsRefusedWithTheReason() {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("serving-opaque")
                .endMetadata()
                .addToStringData("tls.crt", "x")
                .build())
        .create();

    assertThatThrownBy(() -> KubeletServer.start(client, config("serving-none"), tls()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(namespace + "/serving-none")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> KubeletServer.start(client, config("serving-opaque"), tls()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot serve")
        .hasMessageContaining("not kubernetes.io/tls");
  }

  private static IssuedCertificate issue(String... nodeNames) {
    return CA.issueServer("aci-virtual-node-kubelet", List.of(nodeNames), List.of("127.0.0.1"));
  }

  /** Creates or replaces a kubernetes.io/tls Secret as cert-manager writes one. */
  private static void secret(String name, IssuedCertificate issued, String keyPem) {
    Base64.Encoder b64 = Base64.getEncoder();
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(
                Map.of(
                    "tls.crt",
                    b64.encodeToString(
                        (issued.certificatePem() + CA.certificatePem())
                            .getBytes(StandardCharsets.US_ASCII)),
                    "tls.key",
                    b64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII)),
                    "ca.crt",
                    b64.encodeToString(CA.certificatePem().getBytes(StandardCharsets.US_ASCII))))
            .build();
    client.secrets().inNamespace(namespace).resource(secret).createOr(r -> r.update());
  }

  private static OperatorConfig config(String servingSecret) {
    OperatorConfig config =
        new OperatorConfig(
            namespace,
            "127.0.0.1",
            0,
            null,
            null,
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            2,
            0,
            List.of(),
            false);
    return config.withKubelet(
        new OperatorConfig.KubeletSettings(
            true, null, Duration.ofSeconds(1), servingSecret, Duration.ofSeconds(1)));
  }

  private static SSLContext tls() throws Exception {
    return SSLContext.getDefault();
  }

  /**
   * The certificate the kubelet API presents to a client that trusts only the Secret's CA and
   * checks the address against the certificate's names, as an API server given
   * --kubelet-certificate-authority does.
   */
  private static X509Certificate served(int port) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = CA.trustStore();
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** New connections get the expected certificate once the Secret's change has been read. */
  private static X509Certificate servedOnceItIs(int port, X509Certificate expected)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
    X509Certificate served = served(port);
    while (!served.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      served = served(port);
    }
    return served;
  }

  /** The Warning Event on the Secret, once the refused rotation has been read. */
  private static Event warningAbout(String secret) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
    while (System.nanoTime() < deadline) {
      for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
        if (secret.equals(event.getInvolvedObject().getName())
            && "InvalidServingCertificate".equals(event.getReason())) {
          return event;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no InvalidServingCertificate Event on Secret " + secret);
  }
}
