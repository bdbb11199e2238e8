package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ConfidentialComputeProperties;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIdentity;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIdentityUserAssignedIdentities;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceIdentityType;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The group-level settings a pod has no field for, asked for by annotation: priority (Spot), SKU
 * (Confidential) with its CCE policy, availability zone and user-assigned managed identities. Spot
 * and Confidential have limits of their own, checked here so that a pod ACI would refuse fails with
 * the reason before any PUT.
 */
final class GroupSettings {
  static final String PREFIX = "acivirtualnode.github.io/";
  static final String PRIORITY = PREFIX + "priority";
  static final String SKU = PREFIX + "sku";
  static final String CCE_POLICY = PREFIX + "cce-policy";
  static final String ZONE = PREFIX + "zone";
  static final String MANAGED_IDENTITIES = PREFIX + "managed-identities";

  /** Spot's largest group: 4 vCPU and 16 GB (ACI's Spot containers overview, limitations). */
  static final BigDecimal SPOT_MAX_CPU = new BigDecimal("4");

  static final BigDecimal SPOT_MAX_MEMORY_GB = new BigDecimal("16");

  /**
   * The regions ACI offers Spot containers in (a preview): West Europe, East US 2 and West US, as
   * ACI's Spot tutorial names them (container-instances-tutorial-deploy-spot-containers-portal).
   * Not checked against Azure here; ACI itself stays the last word for a region this list names.
   */
  static final Set<String> SPOT_REGIONS = Set.of("eastus2", "westeurope", "westus");

  private static final Pattern IDENTITY_ID =
      Pattern.compile(
          "^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\\w._()]{1,90}/providers/"
              + "Microsoft\\.ManagedIdentity/userAssignedIdentities/[-\\w]{3,128}$",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern ZONE_VALUE = Pattern.compile("^[1-3]$");

  private GroupSettings() {}

  /**
   * Reads the annotations into {@code group} and checks Spot's and Confidential's limits against
   * the group as translated so far (its IP address and containers).
   */
  static void apply(Pod pod, NodeContext node, ContainerGroupInner group, Findings findings) {
    Map<String, String> annotations = Lists.of(pod.getMetadata().getAnnotations());
    // A pod's annotation wins over its node's default; a malformed one fails the pod.
    ContainerGroupPriority priority =
        annotations.containsKey(PRIORITY)
            ? priority(annotations, findings)
            : node.groupDefaults().priority();
    ContainerGroupSku sku =
        annotations.containsKey(SKU) ? sku(annotations, findings) : node.groupDefaults().sku();
    String policy = ccePolicy(annotations, sku, findings);
    if (priority == ContainerGroupPriority.SPOT) {
      checkSpot(node, group, sku, findings);
    }
    if (sku == ContainerGroupSku.CONFIDENTIAL && node.osType() == OperatingSystemTypes.WINDOWS) {
      findings.apply(PodField.CONFIDENTIAL_WINDOWS, path(SKU));
    }
    group.withPriority(priority).withSku(sku);
    if (policy != null) {
      group.withConfidentialComputeProperties(
          new ConfidentialComputeProperties().withCcePolicy(policy));
    }
    group.withZones(zones(annotations, findings));
    group.withIdentity(identity(annotations, findings));
  }

  private static ContainerGroupPriority priority(
      Map<String, String> annotations, Findings findings) {
    String value = annotations.get(PRIORITY);
    if (value == null) {
      return null;
    }
    findings.apply(PodField.ACI_PRIORITY, path(PRIORITY));
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "regular" -> ContainerGroupPriority.REGULAR;
      case "spot" -> ContainerGroupPriority.SPOT;
      default -> {
        findings.invalid(path(PRIORITY), "'" + value + "' is not a priority: Regular or Spot");
        yield null;
      }
    };
  }

  private static ContainerGroupSku sku(Map<String, String> annotations, Findings findings) {
    String value = annotations.get(SKU);
    if (value == null) {
      return null;
    }
    findings.apply(PodField.SKU, path(SKU));
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "standard" -> ContainerGroupSku.STANDARD;
      case "confidential" -> ContainerGroupSku.CONFIDENTIAL;
      default -> {
        // Dedicated needs a subscription allow-listed by Microsoft: not offered here.
        findings.invalid(path(SKU), "'" + value + "' is not a SKU: Standard or Confidential");
        yield null;
      }
    };
  }

  private static String ccePolicy(
      Map<String, String> annotations, ContainerGroupSku sku, Findings findings) {
    String value = annotations.get(CCE_POLICY);
    if (value == null) {
      return null;
    }
    String policy = value.trim();
    if (sku != ContainerGroupSku.CONFIDENTIAL) {
      findings.apply(PodField.CCE_POLICY_WITHOUT_CONFIDENTIAL, path(CCE_POLICY));
      return null;
    }
    findings.apply(PodField.CCE_POLICY, path(CCE_POLICY));
    try {
      if (policy.isEmpty() || Base64.getDecoder().decode(policy).length == 0) {
        findings.invalid(path(CCE_POLICY), "the CCE policy is empty");
        return null;
      }
    } catch (IllegalArgumentException e) {
      findings.invalid(path(CCE_POLICY), "the CCE policy is not base64: " + e.getMessage());
      return null;
    }
    return policy;
  }

  private static void checkSpot(
      NodeContext node, ContainerGroupInner group, ContainerGroupSku sku, Findings findings) {
    String path = path(PRIORITY);
    if (sku == ContainerGroupSku.CONFIDENTIAL) {
      findings.apply(PodField.SPOT_CONFIDENTIAL, path);
    }
    if (node.inVnet()) {
      findings.apply(PodField.SPOT_VNET, path);
    } else if (group.ipAddress() != null) {
      findings.apply(PodField.SPOT_PUBLIC_IP, path);
    }
    if (!SPOT_REGIONS.contains(node.region().toLowerCase(Locale.ROOT))) {
      findings.apply(
          PodField.SPOT_REGION,
          path,
          "ACI offers Spot container groups only in "
              + String.join(", ", SPOT_REGIONS.stream().sorted().toList())
              + ", not in "
              + node.region());
    }
    ResourceTranslator.Effective total = ResourceTranslator.groupTotal(group.containers());
    if (total.cpuRequest().compareTo(SPOT_MAX_CPU) > 0
        || total.memoryRequestGb().compareTo(SPOT_MAX_MEMORY_GB) > 0) {
      findings.apply(
          PodField.SPOT_SIZE,
          path,
          "a Spot container group has at most "
              + SPOT_MAX_CPU
              + " vCPU and "
              + SPOT_MAX_MEMORY_GB
              + " GB; this pod's containers ask for "
              + total.cpuRequest().toPlainString()
              + " vCPU and "
              + total.memoryRequestGb().toPlainString()
              + " GB");
    }
  }

  private static List<String> zones(Map<String, String> annotations, Findings findings) {
    String value = annotations.get(ZONE);
    if (value == null) {
      return null;
    }
    String zone = value.trim();
    if (!ZONE_VALUE.matcher(zone).matches()) {
      findings.invalid(
          path(ZONE),
          "'" + value + "' is not an availability zone: one of 1, 2 or 3 (one per group)");
      return null;
    }
    findings.apply(PodField.ZONE, path(ZONE));
    return List.of(zone);
  }

  private static ContainerGroupIdentity identity(
      Map<String, String> annotations, Findings findings) {
    String value = annotations.get(MANAGED_IDENTITIES);
    if (value == null) {
      return null;
    }
    Map<String, ContainerGroupIdentityUserAssignedIdentities> ids = new LinkedHashMap<>();
    boolean malformed = false;
    for (String part : value.split(",")) {
      String id = part.trim();
      if (id.isEmpty()) {
        continue;
      }
      if (!IDENTITY_ID.matcher(id).matches()) {
        findings.invalid(
            path(MANAGED_IDENTITIES),
            "'"
                + id
                + "' is not a user-assigned identity's resource id (/subscriptions/<id>/"
                + "resourceGroups/<group>/providers/Microsoft.ManagedIdentity/"
                + "userAssignedIdentities/<name>)");
        malformed = true;
        continue;
      }
      ids.put(id, new ContainerGroupIdentityUserAssignedIdentities());
    }
    if (malformed || ids.isEmpty()) {
      if (!malformed) {
        findings.invalid(path(MANAGED_IDENTITIES), "names no identity");
      }
      return null;
    }
    findings.apply(PodField.MANAGED_IDENTITIES, path(MANAGED_IDENTITIES));
    return new ContainerGroupIdentity()
        .withType(ResourceIdentityType.USER_ASSIGNED)
        .withUserAssignedIdentities(ids);
  }

  private static String path(String annotation) {
    return "metadata.annotations[" + annotation + "]";
  }
}
