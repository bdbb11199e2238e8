package io.github.acivirtualnode.operator.node;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;

/** Container groups for unit tests that need one with a name (which only JSON can set). */
public final class TestGroups {
  private TestGroups() {}

  /** A group of that name tagged for that cluster and node, read from a JSON round trip. */
  public static ContainerGroupInner named(String name, String cluster, String node) {
    try {
      String json =
          "{\"name\":\""
              + name
              + "\",\"tags\":"
              + io.fabric8.kubernetes.client.utils.Serialization.asJson(
                  ContainerGroupTags.of(cluster, node))
              + ",\"properties\":{\"containers\":[],\"osType\":\"Linux\"}}";
      try (var reader = com.azure.json.JsonProviders.createReader(json)) {
        return ContainerGroupInner.fromJson(reader);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
