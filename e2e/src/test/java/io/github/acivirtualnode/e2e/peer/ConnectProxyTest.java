package io.github.acivirtualnode.e2e.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectProxyTest {

  @Test
  void tunnelsAKnownTargetBothWaysAndRefusesOthers() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (Socket s = echo.accept()) {
                  s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                  // the test fails on what it reads
                }
              });
      server.setDaemon(true);
      server.start();
      try (ConnectProxy proxy =
          ConnectProxy.start(
              Map.of(
                  "management.azure.com:443",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort())))) {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
          OutputStream out = client.getOutputStream();
          out.write(
              "CONNECT Management.Azure.com:443 HTTP/1.1\r\nHost: management.azure.com:443\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
          assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 Connection Established");
          assertThat(in.readLine()).isEmpty();
          out.write("ping through the tunnel\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          assertThat(in.readLine()).isEqualTo("ping through the tunnel");
          client.shutdownOutput();
          assertThat(in.readLine()).isNull();
        }
        assertThat(proxy.tunnels()).isEqualTo(1);

        assertThat(answer(proxy, "CONNECT login.microsoftonline.com:443 HTTP/1.1\r\n\r\n"))
            .startsWith("HTTP/1.1 403 ");
        assertThat(answer(proxy, "GET http://management.azure.com/ HTTP/1.1\r\n\r\n"))
            .startsWith("HTTP/1.1 403 ");
        assertThat(proxy.refusals()).isEqualTo(2);
        assertThat(proxy.tunnels()).isEqualTo(1);
      }
    }
  }

  private static String answer(ConnectProxy proxy, String request) throws IOException {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
