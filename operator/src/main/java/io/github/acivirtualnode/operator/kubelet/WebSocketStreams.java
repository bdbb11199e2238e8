package io.github.acivirtualnode.operator.kubelet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's streams as the channels of one WebSocket ({@link WebSocketChannels}), on Jetty's
 * WebSocket session through Javalin: every channel exists from the start (as with a kubelet, stdin
 * and resize are read, stdout, stderr and error written), writes become messages, the received
 * messages reach the listener on Jetty's thread. A stream is finished by writing no more on it;
 * only v5 can say a channel's end, and only the client does (stdin); the end of all is the close.
 */
final class WebSocketStreams implements RemoteStreams {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketStreams.class);

  /** Where messages go: Jetty's session in the server, a recorder in tests. */
  interface Socket {
    void send(ByteBuffer binary) throws IOException;

    void send(String text) throws IOException;

    void close();
  }

  private final Socket socket;
  private final WebSocketChannels.Protocol protocol;
  private final StreamOptions options;
  private final Set<String> finished = new HashSet<>();
  private volatile Listener listener;
  private boolean closed;

  WebSocketStreams(Socket socket, WebSocketChannels.Protocol protocol, StreamOptions options) {
    this.socket = socket;
    this.protocol = protocol;
    this.options = options;
  }

  /**
   * The empty message on the lowest written channel that tells the client the streams are open, as
   * a kubelet sends it.
   */
  void opened() throws IOException {
    String first = options.stdout() ? "stdout" : options.stderr() ? "stderr" : "error";
    write(first, new byte[0]);
  }

  @Override
  public void listen(Listener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized boolean awaitStreams(int expected, Duration timeout) {
    return !closed;
  }

  @Override
  public boolean has(String streamType) {
    return switch (streamType) {
      case "stdin" -> options.stdin();
      case "stdout" -> options.stdout();
      case "stderr" -> options.stderr();
      case "error", "resize" -> true;
      default -> false;
    };
  }

  @Override
  public synchronized void write(String streamType, byte[] data) throws IOException {
    int channel = WebSocketChannels.channel(streamType);
    if (closed || channel < 0 || !has(streamType) || finished.contains(streamType)) {
      return;
    }
    if (protocol.base64()) {
      socket.send(WebSocketChannels.text(channel, data));
    } else {
      socket.send(WebSocketChannels.binary(channel, data));
    }
  }

  @Override
  public synchronized void finish(String streamType) {
    finished.add(streamType);
  }

  @Override
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    socket.close();
  }

  /** A binary message from the client. */
  void received(byte[] message, int offset, int length) {
    WebSocketChannels.readBinary(message, offset, length).ifPresent(this::dispatch);
  }

  /** A text message from the client (the base64 protocols). */
  void received(String message) {
    try {
      WebSocketChannels.readText(message).ifPresent(this::dispatch);
    } catch (IllegalArgumentException e) {
      LOG.debug("WebSocket message ignored: {}", e.getMessage());
    }
  }

  /** The client closed the WebSocket, or it failed. */
  void ended() {
    synchronized (this) {
      closed = true;
    }
    Listener l = listener;
    if (l != null) {
      l.gone();
    }
  }

  private void dispatch(WebSocketChannels.Frame frame) {
    Listener l = listener;
    if (l == null) {
      return;
    }
    if (frame.channel() == WebSocketChannels.CLOSE && protocol.closesChannels()) {
      if (frame.data().length == 1) {
        WebSocketChannels.Frame closedChannel =
            new WebSocketChannels.Frame(frame.data()[0] & 0xff, new byte[0]);
        closedChannel.streamType().ifPresent(l::finished);
      }
      return;
    }
    frame
        .streamType()
        .filter(type -> type.equals("stdin") || type.equals("resize"))
        .filter(type -> frame.data().length > 0)
        .ifPresent(type -> l.data(type, frame.data()));
  }
}
