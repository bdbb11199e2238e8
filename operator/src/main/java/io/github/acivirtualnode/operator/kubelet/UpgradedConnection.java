package io.github.acivirtualnode.operator.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The connection after a 101, taken over from Jetty's HTTP/1.1 connection the way Jetty's own
 * upgrades do it: the request carries this connection in {@link
 * HttpConnection#UPGRADE_CONNECTION_ATTRIBUTE}, and once the 101 response is complete Jetty hands
 * the (TLS-decrypted) endpoint over, with any bytes it had already read. (The Servlet upgrade API
 * does not survive Javalin: it completes the request, and Jetty then fails the upgraded input as
 * "unconsumed content".) The endpoint is offered as blocking streams for {@link SpdyConnection};
 * reads wait until the hand-over.
 */
final class UpgradedConnection extends AbstractConnection implements Connection.UpgradeTo {
  private final CountDownLatch open = new CountDownLatch(1);
  private volatile ByteBuffer prefilled;

  private UpgradedConnection(EndPoint endPoint, Executor executor) {
    super(endPoint, executor);
  }

  /** Asks Jetty to hand the request's connection over once the response (a 101) is sent. */
  static UpgradedConnection after(Request request) {
    UpgradedConnection connection =
        new UpgradedConnection(
            request.getHttpChannel().getEndPoint(),
            request.getHttpChannel().getConnector().getExecutor());
    request.setAttribute(HttpConnection.UPGRADE_CONNECTION_ATTRIBUTE, connection);
    return connection;
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffer) {
    if (buffer != null && buffer.hasRemaining()) {
      ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
      copy.put(buffer).flip();
      prefilled = copy;
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    open.countDown();
  }

  @Override
  public void onFillable() {
    // Reads are made by the input stream, which asks for each wake-up itself.
  }

  InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        awaitOpen();
        ByteBuffer first = prefilled;
        if (first != null) {
          int n = Math.min(len, first.remaining());
          first.get(b, off, n);
          if (!first.hasRemaining()) {
            prefilled = null;
          }
          return n;
        }
        ByteBuffer target = ByteBuffer.wrap(b, off, len);
        target.limit(target.position()); // fill appends between limit and capacity
        while (true) {
          int n = getEndPoint().fill(target);
          if (n != 0) {
            return n;
          }
          FutureCallback readable = new FutureCallback();
          getEndPoint().fillInterested(readable);
          await(readable);
        }
      }
    };
  }

  OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        FutureCallback written = new FutureCallback();
        getEndPoint().write(written, ByteBuffer.wrap(b.clone(), off, len));
        await(written);
      }
    };
  }

  private void awaitOpen() throws IOException {
    try {
      open.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  private static void await(FutureCallback callback) throws IOException {
    try {
      callback.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }
}
