package io.github.acivirtualnode.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

class PemKeyStoreTest {
  private static final char[] PASSWORD = "p".toCharArray();
  private static final CertificateAuthority CA = CertificateAuthority.create("test CA");
  private static final IssuedCertificate SERVER =
      CA.issueServer("server", List.of("node-a"), List.of("10.0.0.1"));

  @Test
  void aPkcs8KeyAndItsCertificateWithTheChainMakeAKeyStore() throws Exception {
    KeyStore store =
        PemKeyStore.of(
            SERVER.certificatePem() + CA.certificatePem(), SERVER.privateKeyPem(), PASSWORD);

    assertThat(store.getKey("key", PASSWORD)).isEqualTo(SERVER.privateKey());
    assertThat(store.getCertificateChain("key"))
        .containsExactly(SERVER.certificate(), CA.certificate());
  }

  @Test
  void aPkcs1KeyAsCertManagerWritesItByDefaultIsRead() throws Exception {
    StringWriter pkcs1 = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
      writer.writeObject(SERVER.privateKey());
    }
    assertThat(pkcs1.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    KeyStore store = PemKeyStore.of(SERVER.certificatePem(), pkcs1.toString(), PASSWORD);

    assertThat(((X509Certificate) store.getCertificate("key")).getSubjectAlternativeNames())
        .isNotEmpty();
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    IssuedCertificate other = CA.issueServer("other", List.of("x"), List.of());

    assertThatThrownBy(
            () -> PemKeyStore.of(SERVER.certificatePem(), other.privateKeyPem(), PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.key is not the private key of the first certificate");
  }

  @Test
  void missingOrGarbledPemIsRefusedSayingWhich() {
    assertThatThrownBy(() -> PemKeyStore.of("", SERVER.privateKeyPem(), PASSWORD))
        .hasMessageContaining("tls.crt holds no PEM certificate");
    assertThatThrownBy(() -> PemKeyStore.of(SERVER.certificatePem(), "not a key", PASSWORD))
        .hasMessageContaining("tls.key holds no PEM private key");
    assertThatThrownBy(() -> PemKeyStore.of(SERVER.certificatePem(), null, PASSWORD))
        .hasMessageContaining("tls.key holds no PEM private key");
    assertThatThrownBy(
            () ->
                PemKeyStore.of(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                    SERVER.privateKeyPem(),
                    PASSWORD))
        .hasMessageContaining("tls.crt is not readable PEM");
    assertThatThrownBy(
            () -> PemKeyStore.of(SERVER.certificatePem(), SERVER.certificatePem(), PASSWORD))
        .hasMessageContaining("no unencrypted private key");
  }

  @Test
  void aCertificateNotValidNowIsRefused() {
    Instant later = Instant.now().plus(Duration.ofDays(400));

    assertThatThrownBy(
            () -> PemKeyStore.of(SERVER.certificatePem(), SERVER.privateKeyPem(), PASSWORD, later))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid now");
  }
}
