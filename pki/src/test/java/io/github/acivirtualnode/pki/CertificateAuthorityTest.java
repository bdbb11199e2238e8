package io.github.acivirtualnode.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

  @Test
  void serverCertificateIsSignedByTheCaAndNamesItsHosts() throws Exception {
    IssuedCertificate server =
        ca.issueServer("api", List.of("localhost", "kubernetes"), List.of("127.0.0.1"));
    X509Certificate cert = server.certificate();

    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder((Object) "localhost", "kubernetes", "127.0.0.1");
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void clientCertificateCarriesUserAndGroups() throws Exception {
    X509Certificate cert = ca.issueClient("admin", List.of("system:masters")).certificate();
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=admin,O=system:masters");
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
  }

  @Test
  void aForeignCaDoesNotVerify() {
    X509Certificate cert = ca.issueClient("someone", List.of()).certificate();
    CertificateAuthority other = CertificateAuthority.create("other");
    assertThatThrownBy(() -> cert.verify(other.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void pemAndKeyStoresRoundTrip() throws Exception {
    IssuedCertificate server = ca.issueServer("api", List.of("localhost"), List.of());
    assertThat(server.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(server.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    KeyStore keys = server.keyStore("pw".toCharArray());
    assertThat(keys.getCertificateChain("key")).hasSize(2);
    assertThat(ca.trustStore().getCertificate("ca")).isEqualTo(ca.certificate());
  }
}
