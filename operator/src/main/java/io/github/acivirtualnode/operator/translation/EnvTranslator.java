package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment, resolved as the kubelet resolves it: {@code envFrom} sources first, in
 * order, then {@code env} entries, each overriding what came before; {@code $(VAR)} in a value
 * refers to what is defined before it. A value that comes from a Secret, or that expands a variable
 * that does, becomes a {@code secureValue}, never a plain {@code value}.
 *
 * <p>The kubelet also adds service link variables ({@code enableServiceLinks}); a container group
 * cannot reach cluster services by those addresses, so they are not added.
 */
final class EnvTranslator {
  private static final Pattern SUBSCRIPTED =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private EnvTranslator() {}

  /** One resolved variable. */
  record Value(String value, boolean secret) {}

  /**
   * The resolved environment, in definition order.
   *
   * @param variables every variable, by name
   * @param staticValues the variables defined by a literal {@code value} (what probes expand)
   */
  record Environment(Map<String, Value> variables, Map<String, String> staticValues) {
    List<EnvironmentVariable> toAci() {
      List<EnvironmentVariable> result = new ArrayList<>();
      variables.forEach(
          (name, v) -> {
            EnvironmentVariable env = new EnvironmentVariable().withName(name);
            result.add(v.secret() ? env.withSecureValue(v.value()) : env.withValue(v.value()));
          });
      return result;
    }

    Value get(String name) {
      return variables.get(name);
    }
  }

  static Environment resolve(
      Pod pod,
      Container container,
      String path,
      PodReferences refs,
      NodeContext node,
      ResourceTranslator.Effective resources,
      Findings findings) {
    Map<String, Value> env = new LinkedHashMap<>();
    Map<String, String> statics = new LinkedHashMap<>();
    List<EnvFromSource> envFrom = Lists.of(container.getEnvFrom());
    for (int i = 0; i < envFrom.size(); i++) {
      envFrom(envFrom.get(i), path + ".envFrom[" + i + "]", refs, env, statics, findings);
    }
    List<EnvVar> vars = Lists.of(container.getEnv());
    for (int i = 0; i < vars.size(); i++) {
      EnvVar var = vars.get(i);
      String varPath = path + ".env[" + i + "]";
      Value value =
          var.getValueFrom() == null
              ? literal(var.getValue(), env)
              : valueFrom(
                  pod,
                  container,
                  var.getValueFrom(),
                  varPath + ".valueFrom",
                  refs,
                  node,
                  resources,
                  findings);
      if (value != null) {
        env.remove(var.getName());
        env.put(var.getName(), value);
        if (var.getValueFrom() == null) {
          statics.put(var.getName(), var.getValue() == null ? "" : var.getValue());
        } else {
          statics.remove(var.getName());
        }
      }
    }
    return new Environment(env, statics);
  }

  /** A literal value, expanded against what is defined so far; secret if it expands a secret. */
  private static Value literal(String raw, Map<String, Value> defined) {
    boolean[] secret = {false};
    String expanded =
        VarExpansion.expand(
            raw == null ? "" : raw,
            name -> {
              Value v = defined.get(name);
              if (v == null) {
                return null;
              }
              secret[0] |= v.secret();
              return v.value();
            });
    return new Value(expanded, secret[0]);
  }

  private static void envFrom(
      EnvFromSource from,
      String path,
      PodReferences refs,
      Map<String, Value> env,
      Map<String, String> statics,
      Findings findings) {
    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
    if (from.getConfigMapRef() != null) {
      var ref = from.getConfigMapRef();
      ConfigMap cm = refs.configMap(ref.getName());
      if (cm == null) {
        if (!Lists.isTrue(ref.getOptional())) {
          findings.missing(path + ".configMapRef", "ConfigMap \"" + ref.getName() + "\" not found");
        }
        return;
      }
      Lists.of(cm.getData())
          .forEach(
              (k, v) -> {
                env.remove(prefix + k);
                statics.remove(prefix + k);
                env.put(prefix + k, new Value(v, false));
              });
    } else if (from.getSecretRef() != null) {
      var ref = from.getSecretRef();
      Secret secret = refs.secret(ref.getName());
      if (secret == null) {
        if (!Lists.isTrue(ref.getOptional())) {
          findings.missing(path + ".secretRef", "Secret \"" + ref.getName() + "\" not found");
        }
        return;
      }
      SecretData.decoded(secret, path + ".secretRef", findings)
          .forEach(
              (k, v) -> {
                env.remove(prefix + k);
                statics.remove(prefix + k);
                env.put(prefix + k, new Value(v, true));
              });
    } else {
      findings.apply(PodField.ENV_FROM_OTHER, path);
    }
  }

  private static Value valueFrom(
      Pod pod,
      Container container,
      EnvVarSource from,
      String path,
      PodReferences refs,
      NodeContext node,
      ResourceTranslator.Effective resources,
      Findings findings) {
    if (from.getFieldRef() != null) {
      String v = fieldRef(pod, from.getFieldRef(), path + ".fieldRef", node, findings);
      return v == null ? null : new Value(v, false);
    }
    if (from.getResourceFieldRef() != null) {
      String v =
          resourceFieldRef(
              pod,
              container,
              from.getResourceFieldRef(),
              path + ".resourceFieldRef",
              resources,
              findings);
      return v == null ? null : new Value(v, false);
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      String refPath = path + ".configMapKeyRef";
      ConfigMap cm = refs.configMap(ref.getName());
      boolean optional = Lists.isTrue(ref.getOptional());
      if (cm == null) {
        if (!optional) {
          findings.missing(refPath, "ConfigMap \"" + ref.getName() + "\" not found");
        }
        return null;
      }
      String v = Lists.of(cm.getData()).get(ref.getKey());
      if (v == null) {
        if (!optional) {
          findings.missing(
              refPath,
              "key \"" + ref.getKey() + "\" not found in ConfigMap \"" + ref.getName() + "\"");
        }
        return null;
      }
      return new Value(v, false);
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      String refPath = path + ".secretKeyRef";
      Secret secret = refs.secret(ref.getName());
      boolean optional = Lists.isTrue(ref.getOptional());
      if (secret == null) {
        if (!optional) {
          findings.missing(refPath, "Secret \"" + ref.getName() + "\" not found");
        }
        return null;
      }
      String v = SecretData.decoded(secret, ref.getKey(), refPath, findings);
      if (v == null) {
        if (!optional) {
          findings.missing(
              refPath,
              "key \"" + ref.getKey() + "\" not found in Secret \"" + ref.getName() + "\"");
        }
        return null;
      }
      return new Value(v, true);
    }
    findings.apply(PodField.ENV_VALUE_FROM_OTHER, path);
    return null;
  }

  /** A fieldRef's value as the kubelet gives it, or null (with a finding) when there is none. */
  static String fieldRef(
      Pod pod, ObjectFieldSelector selector, String path, NodeContext node, Findings findings) {
    String field = selector.getFieldPath() == null ? "" : selector.getFieldPath();
    var meta = pod.getMetadata();
    switch (field) {
      case "metadata.name":
        return meta.getName();
      case "metadata.namespace":
        return meta.getNamespace();
      case "metadata.uid":
        return meta.getUid();
      case "spec.nodeName":
        return pod.getSpec().getNodeName() == null ? node.nodeName() : pod.getSpec().getNodeName();
      case "spec.serviceAccountName":
        return pod.getSpec().getServiceAccountName() == null
            ? ""
            : pod.getSpec().getServiceAccountName();
      case "status.hostIP":
      case "status.hostIPs":
        if (node.hostIp() == null) {
          findings.apply(PodField.ENV_HOST_IP_MISSING, path);
          return null;
        }
        return node.hostIp();
      case "status.podIP":
      case "status.podIPs":
        findings.apply(PodField.ENV_POD_IP, path, field + " is " + PodField.ENV_POD_IP.reason());
        return null;
      default:
        Matcher m = SUBSCRIPTED.matcher(field);
        if (m.matches()) {
          Map<String, String> map =
              m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
          String v = Lists.of(map).get(m.group(2));
          return v == null ? "" : v;
        }
        findings.apply(
            PodField.ENV_FIELD_OTHER,
            path,
            "field \"" + field + "\": " + PodField.ENV_FIELD_OTHER.reason());
        return null;
    }
  }

  /**
   * A resourceFieldRef's value for {@code self}: ceil(amount / divisor), or null with a finding.
   */
  static String resourceFieldRef(
      Pod pod,
      Container self,
      ResourceFieldSelector selector,
      String path,
      ResourceTranslator.Effective resources,
      Findings findings) {
    String target = selector.getContainerName();
    if (!Lists.isBlank(target) && !target.equals(self.getName())) {
      findings.apply(
          PodField.ENV_RESOURCE_OTHER_CONTAINER,
          path + ".containerName",
          "container \"" + target + "\": " + PodField.ENV_RESOURCE_OTHER_CONTAINER.reason());
      return null;
    }
    String resource = selector.getResource() == null ? "" : selector.getResource();
    BigDecimal divisor =
        selector.getDivisor() == null ? BigDecimal.ONE : selector.getDivisor().getNumericalAmount();
    if (divisor.signum() <= 0) {
      findings.invalid(path + ".divisor", "the divisor must be positive");
      return null;
    }
    BigDecimal amount;
    switch (resource) {
      case "requests.cpu":
        amount = specOr(self, true, "cpu", resources.cpuRequest());
        break;
      case "limits.cpu":
        amount = specOr(self, false, "cpu", resources.cpuLimitOrRequest());
        break;
      case "requests.memory":
        amount = specOr(self, true, "memory", resources.memoryRequestBytes());
        break;
      case "limits.memory":
        amount = specOr(self, false, "memory", resources.memoryLimitOrRequestBytes());
        break;
      case "requests.ephemeral-storage":
      case "limits.ephemeral-storage":
        amount =
            specOr(self, resource.startsWith("requests"), "ephemeral-storage", (BigDecimal) null);
        if (amount == null) {
          findings.apply(PodField.ENV_RESOURCE_EPHEMERAL, path);
          return null;
        }
        break;
      default:
        findings.apply(
            PodField.ENV_RESOURCE_OTHER,
            path,
            "resource \"" + resource + "\": " + PodField.ENV_RESOURCE_OTHER.reason());
        return null;
    }
    // The kubelet rounds up: ceil(amount / divisor), an integer.
    return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  private static BigDecimal specOr(
      Container c, boolean requests, String resource, BigDecimal fallback) {
    var r = c.getResources();
    Map<String, Quantity> map =
        r == null ? Map.of() : Lists.of(requests ? r.getRequests() : r.getLimits());
    Quantity q = map.get(resource);
    return q == null ? fallback : q.getNumericalAmount();
  }
}
