package io.github.acivirtualnode.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** The generated CRD, shipped in this jar, and a way to install it (tests, the demo). */
public final class VirtualNodeCrd {
  public static final String RESOURCE =
      "/META-INF/fabric8/virtualnodes." + VirtualNode.GROUP + "-v1.yml";

  private VirtualNodeCrd() {}

  /** Applies the CRD and waits until the API server serves it. */
  public static void install(KubernetesClient client) {
    CustomResourceDefinition definition;
    try (InputStream crd = VirtualNodeCrd.class.getResourceAsStream(RESOURCE)) {
      if (crd == null) {
        throw new IllegalStateException(RESOURCE + " is missing: the CRD generator did not run");
      }
      definition = client.apiextensions().v1().customResourceDefinitions().load(crd).item();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client.resource(definition).forceConflicts().serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(definition.getMetadata().getName())
        .waitUntilCondition(VirtualNodeCrd::established, 60, TimeUnit.SECONDS);
  }

  /**
   * Whether the API server serves the CRD. A CRD just created may have a status without conditions
   * yet (seen in CI as a NullPointerException in the wait).
   */
  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }
}
