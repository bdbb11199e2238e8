package io.github.acivirtualnode.operator.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Container groups of one virtual node: one subscription, resource group and region. Every method
 * may throw {@link AciException}. Mutations return once ARM has accepted the request; they never
 * wait for the long-running operation.
 */
public interface AciBackend {

  /** Starts creating (or replacing) a container group. */
  void create(String name, ContainerGroupInner group);

  Optional<ContainerGroupInner> get(String name);

  /** Every container group in the resource group. */
  List<ContainerGroupInner> list();

  /**
   * The regions where the subscription can create container groups, as ARM lists them for the
   * resource type Microsoft.ContainerInstance/containerGroups, normalized ({@link
   * #normalizeRegion}).
   */
  Set<String> regions();

  /** "West Europe" and "westeurope" are the same location. */
  static String normalizeRegion(String region) {
    return region.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** Starts deleting a container group; a group that is already gone is not an error. */
  void delete(String name);

  /** The container's log, optionally only its last lines. */
  String logs(String group, String container, Integer tail, boolean timestamps);

  /** Opens an exec session: where to connect and the password to send first. */
  ExecSession exec(String group, String container, String command, int rows, int columns);

  /**
   * Each container's latest CPU and memory figures from Azure Monitor's container-group metrics
   * (one ARM read): the last one-minute averages of the last few minutes. Containers that did not
   * run meanwhile are absent.
   */
  List<ContainerUsage> usage(String group);

  /**
   * One container's figures: Azure Monitor's one-minute averages.
   *
   * @param timestamp the start of the minute they are the averages of
   * @param cpuMillicores {@code CpuUsage}, millicores over all cores
   * @param memoryBytes {@code MemoryUsage}, bytes
   */
  record ContainerUsage(
      String container, java.time.Instant timestamp, double cpuMillicores, double memoryBytes) {}

  /** Where to connect, and the password to send first (kept out of toString). */
  record ExecSession(String webSocketUri, String password) {
    @Override
    public String toString() {
      return "ExecSession[webSocketUri=" + webSocketUri + ", password=(redacted)]";
    }
  }
}
