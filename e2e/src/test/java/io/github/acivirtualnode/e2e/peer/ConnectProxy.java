package io.github.acivirtualnode.e2e.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP CONNECT proxy on loopback that tunnels a fixed set of {@code host:port} targets to local
 * addresses, and refuses every other target (403). It lets a client that always dials a fixed host,
 * such as the reference implementation calling {@code management.azure.com:443}, reach the emulator
 * through {@code HTTPS_PROXY} without touching DNS. The TLS inside the tunnel is the client's and
 * the emulator's; the proxy only copies bytes.
 */
public final class ConnectProxy implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final Map<String, InetSocketAddress> targets;
  private final ServerSocket server;
  private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
  private final AtomicInteger tunnels = new AtomicInteger();
  private final AtomicInteger refusals = new AtomicInteger();

  private ConnectProxy(Map<String, InetSocketAddress> targets) throws IOException {
    this.targets = Map.copyOf(targets);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "connect-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * Starts the proxy on a free loopback port. Keys are the {@code host:port} a client asks for
   * (case-insensitive host), values where the tunnel goes.
   */
  public static ConnectProxy start(Map<String, InetSocketAddress> targets) {
    Map<String, InetSocketAddress> normalised = new ConcurrentHashMap<>();
    targets.forEach((k, v) -> normalised.put(k.toLowerCase(Locale.ROOT), v));
    try {
      return new ConnectProxy(normalised);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For {@code HTTPS_PROXY}: {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Tunnels opened since the start. */
  public int tunnels() {
    return tunnels.get();
  }

  /** Requests refused since the start (not CONNECT, or a target not in the map). */
  public int refusals() {
    return refusals.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.keySet().forEach(ConnectProxy::closeQuietly);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.put(client, true);
      Thread handler = new Thread(() -> handle(client), "connect-proxy-client");
      handler.setDaemon(true);
      handler.start();
    }
  }

  private void handle(Socket client) {
    Socket upstream = null;
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      String[] requestLine = head.lines().findFirst().orElse("").split(" ");
      InetSocketAddress target =
          requestLine.length == 3 && requestLine[0].equals("CONNECT")
              ? targets.get(requestLine[1].toLowerCase(Locale.ROOT))
              : null;
      if (target == null) {
        refusals.incrementAndGet();
        out.write(
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      upstream = new Socket();
      upstream.connect(target, 10_000);
      open.put(upstream, true);
      tunnels.incrementAndGet();
      out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Socket up = upstream;
      Thread back = new Thread(() -> pump(up, client), "connect-proxy-down");
      back.setDaemon(true);
      back.start();
      pump(client, upstream);
      back.join();
    } catch (IOException e) {
      // The client or the target went away: nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(client);
      open.remove(client);
      if (upstream != null) {
        closeQuietly(upstream);
        open.remove(upstream);
      }
    }
  }

  /** The request line and headers, up to the blank line (nothing of the tunnel after it). */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEADER_BYTES) {
        throw new IOException("no complete request head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Copies until end of stream, then half-closes the other side so that it sees the end too. */
  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (SocketException e) {
      // reset or closed: the other pump and the handler close both
      closeQuietly(from);
      closeQuietly(to);
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
