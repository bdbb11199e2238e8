package io.github.acivirtualnode.operator.kubelet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code kubectl attach} over SPDY or WebSocket ({@link RemoteStreams}): the container's output
 * from now on, as ACI's log shows it (read again every follow interval), on stdout until the
 * container terminates, the pod goes or the client leaves; then Success on the error stream. ACI's
 * attach gives output only, so does this; what was written before the attach is not repeated (as
 * with a kubelet).
 */
final class AttachSession implements RemoteStreams.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(AttachSession.class);

  private final RemoteStreams streams;
  private final StreamProtocol protocol;
  private final StreamOptions options;
  private final LogFollower follower;
  private volatile boolean gone;

  AttachSession(
      RemoteStreams streams, StreamProtocol protocol, StreamOptions options, LogFollower follower) {
    this.streams = streams;
    this.protocol = protocol;
    this.options = options;
    this.follower = follower;
  }

  void run() {
    try {
      if (!streams.awaitStreams(options.expectedStreams(protocol), ExecSession.STREAMS_TIMEOUT)) {
        return;
      }
      String stream = options.stdout() ? "stdout" : "stderr";
      OutputStream out =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              byte[] data = new byte[len];
              System.arraycopy(b, off, data, 0, len);
              streams.write(stream, data);
            }
          };
      List<LogText.Line> now = follower.read();
      follower.follow(
          out,
          () -> !gone && !streams.isClosed(),
          LogOptions.parse(java.util.Map.of()),
          now,
          List.of());
      if (!gone) {
        streams.finish("stdout");
        streams.finish("stderr");
        streams.write("error", ExecStatus.encode(ExecStatus.success(), protocol));
        streams.finish("error");
      }
    } catch (KubeletApiException e) {
      try {
        streams.write(
            "error", ExecStatus.encode(ExecStatus.internalError(e.getMessage()), protocol));
      } catch (IOException io) {
        LOG.debug("attach: the status could not be sent: {}", io.toString());
      }
    } catch (IOException e) {
      LOG.debug("attach ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.close();
    }
  }

  @Override
  public void data(String streamType, byte[] data) {
    // Attach reads nothing from the client (no stdin; ACI's terminal size is not ours to set).
  }

  @Override
  public void finished(String streamType) {
    // Nothing to end.
  }

  @Override
  public void gone() {
    gone = true;
  }
}
