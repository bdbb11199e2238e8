package io.github.acivirtualnode.operator.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pods, references and groups for the translation tests. */
final class Fixtures {
  static final String UID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  static final String SUBNET_ID =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
          + "Microsoft.Network/virtualNetworks/vnet/subnets/aci";
  static final NodeContext NODE =
      NodeContext.of(OperatingSystemTypes.LINUX, "westeurope", "cluster-uid", "vn-1", "10.0.0.9");

  private Fixtures() {}

  static ContainerBuilder container(String name) {
    return new ContainerBuilder().withName(name).withImage("nginx:1.27");
  }

  static PodBuilder podBuilder(io.fabric8.kubernetes.api.model.Container... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web-0")
        .withUid(UID)
        .addToLabels("app", "web")
        .addToAnnotations("team", "blue")
        .endMetadata()
        .withNewSpec()
        .withNodeName("vn-1")
        .withServiceAccountName("web-sa")
        .withRestartPolicy("Always")
        .withContainers(containers)
        .endSpec();
  }

  static Pod pod(io.fabric8.kubernetes.api.model.Container... containers) {
    return podBuilder(containers).build();
  }

  static Pod pod() {
    return pod(container("app").build());
  }

  static TranslationResult.Translated translated(Pod pod, PodReferences refs) {
    TranslationResult result = PodTranslator.translate(pod, refs, NODE);
    assertThat(result)
        .as("translation of %s", pod.getMetadata().getName())
        .isInstanceOf(TranslationResult.Translated.class);
    return (TranslationResult.Translated) result;
  }

  static TranslationResult.Translated translated(Pod pod) {
    return translated(pod, PodReferences.none());
  }

  static Container first(Pod pod, PodReferences refs) {
    return translated(pod, refs).group().containers().get(0);
  }

  static Container first(Pod pod) {
    return first(pod, PodReferences.none());
  }

  static List<TranslationError> errors(Pod pod, PodReferences refs) {
    TranslationResult result = PodTranslator.translate(pod, refs, NODE);
    assertThat(result).isInstanceOf(TranslationResult.Rejected.class);
    return ((TranslationResult.Rejected) result).errors();
  }

  static List<TranslationError> errors(Pod pod) {
    return errors(pod, PodReferences.none());
  }

  static Secret secret(String name, Map<String, String> plain) {
    Map<String, String> data = new LinkedHashMap<>();
    plain.forEach((k, v) -> data.put(k, b64(v)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withData(data)
        .build();
  }

  static PodReferences refs(Secret... secrets) {
    Map<String, Secret> s = new LinkedHashMap<>();
    for (Secret secret : secrets) {
      s.put(secret.getMetadata().getName(), secret);
    }
    return new PodReferences(s, Map.of());
  }

  static PodReferences refs(List<Secret> secrets, List<ConfigMap> configMaps) {
    Map<String, Secret> s = new LinkedHashMap<>();
    secrets.forEach(x -> s.put(x.getMetadata().getName(), x));
    Map<String, ConfigMap> c = new LinkedHashMap<>();
    configMaps.forEach(x -> c.put(x.getMetadata().getName(), x));
    return new PodReferences(s, c);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A group as ARM answers, from its JSON (read-only fields have no setters). */
  static ContainerGroupInner group(String json) {
    try (JsonReader reader = JsonProviders.createReader(json)) {
      return ContainerGroupInner.fromJson(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
