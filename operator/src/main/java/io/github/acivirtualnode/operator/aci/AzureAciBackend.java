package io.github.acivirtualnode.operator.aci;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.identity.CredentialUnavailableException;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerExecResponseInner;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerExecRequest;
import com.azure.resourcemanager.containerinstance.models.ContainerExecRequestTerminalSize;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link AciBackend} on the Azure SDK for Java. */
public final class AzureAciBackend implements AciBackend {
  private final ContainerInstanceManager manager;
  private final String resourceGroup;
  private final ArmRateLimiter limiter;

  public AzureAciBackend(
      ContainerInstanceManager manager, String resourceGroup, ArmRateLimiter limiter) {
    this.manager = manager;
    this.resourceGroup = resourceGroup;
    this.limiter = limiter;
  }

  private ContainerGroupsClient groups() {
    return manager.serviceClient().getContainerGroups();
  }

  @Override
  public void create(String name, ContainerGroupInner group) {
    acquire(ArmRateLimiter.Operation.CREATE, "create of " + name);
    // beginCreateOrUpdate sends the PUT and returns a poller that is deliberately never polled:
    // the status loop observes the group instead.
    call(() -> groups().beginCreateOrUpdate(resourceGroup, name, group));
  }

  @Override
  public Optional<ContainerGroupInner> get(String name) {
    acquire(ArmRateLimiter.Operation.READ, "get of " + name);
    try {
      return Optional.of(call(() -> groups().getByResourceGroup(resourceGroup, name)));
    } catch (AciException e) {
      if (e.kind() == AciException.Kind.NOT_FOUND && !e.isActionable()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ContainerGroupInner> list() {
    acquire(ArmRateLimiter.Operation.READ, "list");
    return call(() -> groups().listByResourceGroup(resourceGroup).stream().toList());
  }

  @Override
  public void delete(String name) {
    acquire(ArmRateLimiter.Operation.DELETE, "delete of " + name);
    try {
      call(() -> groups().beginDelete(resourceGroup, name));
    } catch (AciException e) {
      if (e.kind() != AciException.Kind.NOT_FOUND || e.isActionable()) {
        throw e;
      }
    }
  }

  @Override
  public String logs(String group, String container, Integer tail, boolean timestamps) {
    acquire(ArmRateLimiter.Operation.READ, "logs of " + group);
    return call(
        () ->
            manager
                .serviceClient()
                .getContainers()
                .listLogsWithResponse(
                    resourceGroup, group, container, tail, timestamps, Context.NONE)
                .getValue()
                .content());
  }

  @Override
  public ExecSession exec(String group, String container, String command, int rows, int columns) {
    acquire(ArmRateLimiter.Operation.READ, "exec in " + group);
    ContainerExecResponseInner response =
        call(
            () ->
                manager
                    .serviceClient()
                    .getContainers()
                    .executeCommand(
                        resourceGroup,
                        group,
                        container,
                        new ContainerExecRequest()
                            .withCommand(command)
                            .withTerminalSize(
                                new ContainerExecRequestTerminalSize()
                                    .withRows(rows)
                                    .withCols(columns))));
    return new ExecSession(response.webSocketUri(), response.password());
  }

  @Override
  public void checkHealth() {
    // One page of the resource group's listing: token, resource group and ARM in one read.
    call(() -> groups().listByResourceGroup(resourceGroup).iterableByPage().iterator().next());
  }

  private void acquire(ArmRateLimiter.Operation op, String what) {
    Optional<Duration> wait = limiter.tryAcquire(op);
    if (wait.isPresent()) {
      throw AciException.throttled(what, wait.get());
    }
  }

  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (ManagementException e) {
      int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      String code = e.getValue() == null ? "" : e.getValue().getCode();
      String message = e.getValue() == null ? e.getMessage() : e.getValue().getMessage();
      Duration retryAfter =
          e.getResponse() == null
              ? null
              : AciErrors.parseRetryAfter(
                  e.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER));
      throw new AciException(
          AciErrors.classify(status, code),
          code == null ? "" : code,
          status,
          message,
          retryAfter,
          e);
    } catch (CredentialUnavailableException e) {
      throw new AciException(
          AciException.Kind.AUTHENTICATION,
          "CredentialUnavailable",
          0,
          "no Azure token could be obtained: " + firstLine(e.getMessage()),
          null,
          e);
    } catch (ClientAuthenticationException e) {
      throw new AciException(
          AciException.Kind.AUTHENTICATION,
          "AuthenticationFailed",
          401,
          "Microsoft Entra ID refused the credentials: " + firstLine(e.getMessage()),
          null,
          e);
    } catch (UncheckedIOException | com.azure.core.exception.AzureException e) {
      throw new AciException(
          AciException.Kind.TRANSIENT, "ConnectionFailed", 0, firstLine(e.getMessage()), null, e);
    } catch (RuntimeException e) {
      if (hasCause(e, java.io.IOException.class)
          || hasCause(e, java.util.concurrent.TimeoutException.class)) {
        throw new AciException(
            AciException.Kind.TRANSIENT, "ConnectionFailed", 0, firstLine(e.getMessage()), null, e);
      }
      throw e;
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
