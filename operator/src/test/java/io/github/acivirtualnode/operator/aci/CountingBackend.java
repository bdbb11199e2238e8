package io.github.acivirtualnode.operator.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for unit tests that answers lists from a fixed list (or fails them) and counts them,
 * and records deletions. Everything else is refused: a test that needs more uses the emulator.
 */
public class CountingBackend implements AciBackend {
  public final AtomicInteger lists = new AtomicInteger();
  public final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile List<ContainerGroupInner> groups = List.of();
  private volatile AciException failure;

  public CountingBackend answering(List<ContainerGroupInner> answer) {
    this.groups = answer;
    this.failure = null;
    return this;
  }

  public CountingBackend failing(AciException why) {
    this.failure = why;
    return this;
  }

  @Override
  public List<ContainerGroupInner> list() {
    lists.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    return groups;
  }

  @Override
  public Set<String> regions() {
    return Set.of("westeurope");
  }

  @Override
  public void create(String name, ContainerGroupInner group) {
    throw new UnsupportedOperationException("create");
  }

  @Override
  public Optional<ContainerGroupInner> get(String name) {
    throw new UnsupportedOperationException("get");
  }

  @Override
  public void delete(String name) {
    deleted.add(name);
  }

  @Override
  public String logs(String group, String container, Integer tail, boolean timestamps) {
    throw new UnsupportedOperationException("logs");
  }

  @Override
  public ExecSession exec(String group, String container, String command, int rows, int columns) {
    throw new UnsupportedOperationException("exec");
  }

  @Override
  public List<ContainerUsage> usage(String group) {
    throw new UnsupportedOperationException("usage");
  }
}
