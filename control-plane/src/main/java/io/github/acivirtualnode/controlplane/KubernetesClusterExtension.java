package io.github.acivirtualnode.controlplane;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's shared cluster ({@link KubernetesCluster}), an admin {@link
 * KubernetesClient} and a fresh {@link TestNamespace} per test. When a test fails it prints where
 * the component logs are.
 */
public final class KubernetesClusterExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubernetesClusterExtension.class);
  private static final Duration SERVICE_ACCOUNT_TIMEOUT = Duration.ofSeconds(60);
  private static KubernetesClient sharedClient;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesCluster.class
        || type == KubernetesClient.class
        || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == KubernetesCluster.class) {
      return SharedCluster.get();
    }
    if (type == KubernetesClient.class) {
      return client();
    }
    return context
        .getStore(STORE)
        .getOrComputeIfAbsent("namespace", key -> createNamespace(context), TestNamespace.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace = context.getStore(STORE).get("namespace", TestNamespace.class);
    if (context.getExecutionException().isPresent()) {
      System.err.println(
          "[control-plane] "
              + context.getDisplayName()
              + " failed; component logs: "
              + SharedCluster.get().logDirectory()
              + (namespace == null ? "" : ", namespace: " + namespace.name()));
    } else if (namespace != null) {
      client().namespaces().withName(namespace.name()).delete();
    }
  }

  private static synchronized KubernetesClient client() {
    if (sharedClient == null) {
      sharedClient = SharedCluster.get().newClient();
    }
    return sharedClient;
  }

  private static TestNamespace createNamespace(ExtensionContext context) {
    String prefix =
        context
            .getRequiredTestClass()
            .getSimpleName()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]", "");
    if (prefix.length() > 40) {
      prefix = prefix.substring(0, 40);
    }
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    KubernetesClient client = client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    // Pods are refused by the ServiceAccount admission plugin until the default SA exists.
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(
            sa -> sa != null, SERVICE_ACCOUNT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new TestNamespace(name);
  }
}
