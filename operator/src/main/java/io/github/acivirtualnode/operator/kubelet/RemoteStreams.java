package io.github.acivirtualnode.operator.kubelet;

import java.io.IOException;
import java.time.Duration;

/**
 * The client's side of an exec or attach, whatever carries it: SPDY/3.1 streams ({@link
 * SpdyConnection}) or the channels of a WebSocket ({@link WebSocketStreams}). Streams are named as
 * the SPDY stream types are ({@code stdin}, {@code stdout}, {@code stderr}, {@code error}, {@code
 * resize}); {@link ExecSession} and {@link AttachSession} speak only to this.
 */
interface RemoteStreams extends AutoCloseable {

  /** What the session does with what the client sends. Called on the transport's thread. */
  interface Listener {
    void data(String streamType, byte[] data);

    /** The client closed its side of the stream (stdin's end). */
    void finished(String streamType);

    /** The client went away. */
    void gone();
  }

  /** Set before the transport delivers anything. */
  void listen(Listener listener);

  /**
   * Waits until the client has opened {@code expected} streams (at once where the transport opens
   * them all together).
   *
   * @return false when the time ran out or the connection ended first
   */
  boolean awaitStreams(int expected, Duration timeout) throws InterruptedException;

  /** Whether the client has a stream of this type (after {@link #awaitStreams}). */
  boolean has(String streamType);

  /** Writes data on a stream; dropped if the client has none of that type or it was finished. */
  void write(String streamType, byte[] data) throws IOException;

  /** No more data from the server on this stream. */
  void finish(String streamType) throws IOException;

  boolean isClosed();

  /** Finishes every stream and ends the connection. */
  @Override
  void close();
}
