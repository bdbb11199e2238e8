package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The server certificate is valid for the extra names a client calls it by, as a client that
 * reached the emulator through a tunnel under another name checks it: hostname verification against
 * the name it dialled, not the loopback address it landed on.
 */
class ServerNamesIT {

  @Test
  void theCertificateIsValidForTheExtraServerNamesAndNoOthers() throws Exception {
    try (AciEmulator emulator =
        AciEmulator.builder().extraServerNames(List.of("management.azure.com")).build().start()) {
      X509Certificate served = handshake(emulator, "management.azure.com");
      assertThat(served.getSubjectAlternativeNames())
          .extracting(name -> (Object) name.get(1))
          .contains((Object) "management.azure.com", "localhost", "127.0.0.1");
      assertThat(handshake(emulator, "localhost")).isEqualTo(served);
      assertThatThrownBy(() -> handshake(emulator, "login.microsoftonline.com"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void withoutExtraNamesTheCertificateNamesOnlyTheLocalHost() throws Exception {
    try (AciEmulator emulator = AciEmulator.builder().build().start()) {
      assertThat(handshake(emulator, "localhost")).isNotNull();
      assertThatThrownBy(() -> handshake(emulator, "management.azure.com"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  /**
   * A TLS handshake over a connection to the emulator's loopback port, with SNI and HTTPS hostname
   * verification for {@code name}, trusting only the emulator's CA; the certificate it presented.
   */
  private static X509Certificate handshake(AciEmulator emulator, String name) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", emulator.port()), 5_000);
    try (SSLSocket tls =
        (SSLSocket)
            emulator
                .sslContext()
                .getSocketFactory()
                .createSocket(plain, name, emulator.port(), true)) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setServerNames(List.of(new SNIHostName(name)));
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      return (X509Certificate) tls.getSession().getPeerCertificates()[0];
    }
  }
}
