package io.github.acivirtualnode.aciemulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** A JDK websocket client for exec/attach: sends the password, collects output until closed. */
final class WebSocketSession implements WebSocket.Listener {
  private final StringBuilder output = new StringBuilder();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private WebSocket socket;
  private volatile String closeReason;

  static WebSocketSession open(SSLContext ssl, String uri, String password) throws Exception {
    WebSocketSession session = new WebSocketSession();
    HttpClient client =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(20)).build();
    session.socket =
        client.newWebSocketBuilder().buildAsync(URI.create(uri), session).get(30, TimeUnit.SECONDS);
    session.socket.sendText(password, true).get(30, TimeUnit.SECONDS);
    return session;
  }

  void sendStdin(String text) throws Exception {
    socket
        .sendBinary(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), true)
        .get(30, TimeUnit.SECONDS);
  }

  /** Waits for the server to close and answers the close status. */
  int awaitClose() throws Exception {
    return closed.get(60, TimeUnit.SECONDS);
  }

  /** The reason of the server's close frame (after {@link #awaitClose()}). */
  String closeReason() {
    return closeReason;
  }

  synchronized String output() {
    return output.toString();
  }

  void abort() {
    socket.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    synchronized (this) {
      output.append(data);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    synchronized (this) {
      output.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
