package io.github.acivirtualnode.operator.kubelet;

import io.github.acivirtualnode.operator.aci.AciBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The websocket of an ACI exec session: the password goes first, then what is typed; what the
 * terminal prints arrives as text (or binary) messages; the service closes the socket when the
 * program ends and says nothing of its exit status. Sends are queued (a websocket takes one at a
 * time); output is handed on in order, on the client's threads.
 */
final class AciTerminal implements WebSocket.Listener {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  /** The close code given for a socket that failed without a close frame. */
  static final int FAILED = -1;

  private final Consumer<byte[]> output;
  private final IntConsumer closed;
  private final StringBuilder text = new StringBuilder();
  private WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private boolean ended;

  private AciTerminal(Consumer<byte[]> output, IntConsumer closed) {
    this.output = output;
    this.closed = closed;
  }

  /**
   * Connects and sends the session's password.
   *
   * @param output the terminal's output, in order
   * @param closed called once when the socket is closed (by either side), with the close frame's
   *     status code, or with {@link #FAILED} when it failed without one
   */
  static CompletableFuture<AciTerminal> open(
      HttpClient http,
      AciBackend.ExecSession session,
      Consumer<byte[]> output,
      IntConsumer closed) {
    AciTerminal terminal = new AciTerminal(output, closed);
    return http.newWebSocketBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(URI.create(session.webSocketUri()), terminal)
        .thenApply(
            ws -> {
              terminal.connected(ws);
              terminal.type(session.password());
              return terminal;
            });
  }

  /** Types text into the terminal (after whatever was typed before). */
  synchronized void type(String keys) {
    if (ended || keys.isEmpty()) {
      return;
    }
    WebSocket ws = socket;
    sending = sending.thenCompose(x -> ws.sendText(keys, true));
  }

  /** Ends the session from this side. */
  synchronized void close() {
    if (socket != null && !socket.isOutputClosed()) {
      WebSocket ws = socket;
      sending =
          sending
              .exceptionally(e -> null)
              .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
              .whenComplete((x, e) -> ws.abort());
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    connected(webSocket);
    webSocket.request(1);
  }

  private synchronized void connected(WebSocket webSocket) {
    socket = webSocket;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    byte[] bytes;
    synchronized (this) {
      // A character may be split between parts of one message: hand on whole messages.
      text.append(data);
      if (!last) {
        webSocket.request(1);
        return null;
      }
      bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      text.setLength(0);
    }
    output.accept(bytes);
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    output.accept(bytes);
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    end(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    end(FAILED);
  }

  private void end(int statusCode) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    closed.accept(statusCode);
  }
}
