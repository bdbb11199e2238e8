package io.github.acivirtualnode.operator.kubelet;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

/**
 * The servlet container's hold on a connection after a 101 (Servlet's HTTP upgrade, which Jetty
 * implements): it hands over the connection's raw input and output. Public with a public
 * constructor only because the container instantiates it.
 */
public final class UpgradedConnection implements HttpUpgradeHandler {
  private volatile WebConnection connection;

  public UpgradedConnection() {}

  @Override
  public void init(WebConnection webConnection) {
    this.connection = webConnection;
  }

  @Override
  public void destroy() {
    // The session closes the connection itself.
  }

  WebConnection connection() {
    return connection;
  }
}
