package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a container group PUT body the way ACI does before accepting it, answering the first
 * problem as an {@link ArmException} with the service's error code.
 */
public final class ContainerGroupValidator {
  /** Lowercase letters, digits and single dashes, neither first nor last; 1 to 63 characters. */
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z][-a-z0-9]{3,61}[a-z0-9]$");
  private static final Pattern SUBNET_ID =
      Pattern.compile(
          "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/"
              + "virtualNetworks/[^/]+/subnets/[^/]+$",
          Pattern.CASE_INSENSITIVE);

  /** Registries that serve images anonymously; any other needs imageRegistryCredentials. */
  private static final Set<String> PUBLIC_REGISTRIES =
      Set.of(
          "docker.io",
          "index.docker.io",
          "registry-1.docker.io",
          "mcr.microsoft.com",
          "ghcr.io",
          "quay.io",
          "registry.k8s.io",
          "gcr.io",
          "public.ecr.aws");

  /** Service limits and regional quotas. */
  public record Limits(
      int maxContainers,
      int maxVolumes,
      int maxPublicPorts,
      double maxCpuPerGroup,
      double maxMemoryGbPerGroup,
      int maxGpuPerGroup) {
    public static Limits defaults() {
      return new Limits(60, 20, 5, 4, 16, 4);
    }
  }

  private final Limits limits;

  public ContainerGroupValidator(Limits limits) {
    this.limits = limits;
  }

  /** Validates the body of a PUT for the group {@code name}. */
  public void validate(String name, JsonNode body) {
    checkName(name, "InvalidContainerGroupName", "container group");
    validateSpec(name, body);
  }

  /**
   * Validates a group's (or a container group profile's) body without its name: location,
   * containers, volumes, resources, images, ports.
   */
  public void validateSpec(String name, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalidContent("The request content was invalid and could not be deserialized.");
    }
    if (!body.hasNonNull("location") || body.get("location").asText().isBlank()) {
      throw ArmException.badRequest(
          "LocationRequired", "The location property is required for this definition.");
    }
    JsonNode props = body.path("properties");
    if (!props.isObject()) {
      throw missing("properties");
    }
    JsonNode containers = props.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw missing("containers");
    }
    if (!props.hasNonNull("osType")) {
      throw missing("osType");
    }
    if (containers.size() > limits.maxContainers()) {
      throw ArmException.badRequest(
          "ContainerGroupContainersExceededLimit",
          String.format(
              "The number of containers '%d' in container group '%s' exceeds the limit '%d'.",
              containers.size(), name, limits.maxContainers()));
    }
    JsonNode volumes = props.path("volumes");
    checkWindows(name, props, containers, volumes);
    if (volumes.size() > limits.maxVolumes()) {
      throw ArmException.badRequest(
          "ContainerGroupVolumesExceededLimit",
          String.format(
              "The number of volumes '%d' in container group '%s' exceeds the limit '%d'.",
              volumes.size(), name, limits.maxVolumes()));
    }
    Set<String> volumeNames = new HashSet<>();
    for (JsonNode volume : volumes) {
      String volumeName = volume.path("name").asText("");
      checkName(volumeName, "InvalidVolumeName", "volume");
      checkVolumeSource(volume);
      volumeNames.add(volumeName);
    }
    double cpu = 0;
    double memory = 0;
    int gpu = 0;
    Set<String> containerNames = new HashSet<>();
    for (JsonNode container : props.path("initContainers")) {
      checkContainer(name, container, containerNames, volumeNames, props, true);
    }
    for (JsonNode container : containers) {
      checkContainer(name, container, containerNames, volumeNames, props, false);
      JsonNode requests = container.path("properties").path("resources").path("requests");
      cpu += requests.path("cpu").asDouble();
      memory += requests.path("memoryInGB").asDouble();
      gpu += requests.path("gpu").path("count").asInt();
    }
    if (cpu > limits.maxCpuPerGroup() || memory > limits.maxMemoryGbPerGroup()) {
      throw ArmException.badRequest(
          "ResourceRequestsNotSupported",
          String.format(
              Locale.ROOT,
              "The requested resource with '%s' CPU and '%s' GB memory is not supported in"
                  + " location '%s'. The maximum is '%s' CPU and '%s' GB memory per container"
                  + " group.",
              fmt(cpu),
              fmt(memory),
              body.get("location").asText(),
              fmt(limits.maxCpuPerGroup()),
              fmt(limits.maxMemoryGbPerGroup())));
    }
    if (gpu > limits.maxGpuPerGroup()) {
      throw ArmException.badRequest(
          "ResourceRequestsNotSupported",
          String.format(
              "The requested '%d' GPUs exceed the maximum of '%d' per container group.",
              gpu, limits.maxGpuPerGroup()));
    }
    for (JsonNode container : containers) {
      JsonNode limit = container.path("properties").path("resources").path("limits");
      if ((limit.has("cpu") && limit.path("cpu").asDouble() > cpu)
          || (limit.has("memoryInGB") && limit.path("memoryInGB").asDouble() > memory)) {
        throw ArmException.badRequest(
            "ContainerLimitGreaterThanContainerGroupTotalRequest",
            String.format(
                Locale.ROOT,
                "The resource limits of container '%s' exceed the total resource requests of"
                    + " container group '%s': '%s' CPU and '%s' GB memory.",
                container.path("name").asText(),
                name,
                fmt(cpu),
                fmt(memory)));
      }
    }
    JsonNode ip = props.path("ipAddress");
    checkNetwork(name, props.path("subnetIds"), ip);
    if (ip.isObject()) {
      if (ip.path("ports").size() > limits.maxPublicPorts()
          && "Public".equalsIgnoreCase(ip.path("type").asText())) {
        throw ArmException.badRequest(
            "PublicIpPortsExceededLimit",
            String.format(
                "The number of public ports '%d' exceeds the limit '%d'.",
                ip.path("ports").size(), limits.maxPublicPorts()));
      }
      if (ip.hasNonNull("dnsNameLabel")) {
        String label = ip.get("dnsNameLabel").asText();
        if (!DNS_LABEL.matcher(label).matches() || label.contains("--")) {
          throw ArmException.badRequest(
              "InvalidDnsNameLabel",
              String.format(
                  "The DNS name label '%s' is invalid. It must be 5 to 63 characters long, start"
                      + " with a lowercase letter, end with a lowercase letter or a number, and"
                      + " contain only lowercase letters, numbers and dashes.",
                  label));
        }
      }
    }
  }

  /**
   * ACI's Windows container groups hold one container and mount no volumes (multi-container groups
   * and every volume kind are Linux only in ACI's documentation).
   */
  private static void checkWindows(
      String name, JsonNode props, JsonNode containers, JsonNode volumes) {
    if (!"Windows".equalsIgnoreCase(props.path("osType").asText())) {
      return;
    }
    if (containers.size() > 1) {
      throw ArmException.badRequest(
          "MultipleContainersNotSupportedForWindows",
          String.format(
              "The container group '%s' has '%d' containers. A Windows container group supports"
                  + " only one container.",
              name, containers.size()));
    }
    if (volumes.isArray() && !volumes.isEmpty()) {
      throw ArmException.badRequest(
          "VolumesNotSupportedForWindows",
          String.format(
              "The container group '%s' has volumes. Volumes are supported only for Linux"
                  + " container groups.",
              name));
    }
  }

  /**
   * A group joins a VNet through subnet resource ids, and only such a group can have a private
   * address; one in a VNet cannot have a public address (ACI's virtual network scenarios).
   */
  private static void checkNetwork(String name, JsonNode subnetIds, JsonNode ip) {
    boolean inVnet = subnetIds.isArray() && !subnetIds.isEmpty();
    for (JsonNode subnet : subnetIds) {
      String id = subnet.path("id").asText("");
      if (!SUBNET_ID.matcher(id).matches()) {
        throw ArmException.badRequest(
            "InvalidSubnetId",
            String.format(
                "The subnet id '%s' in container group '%s' is invalid. It must be the resource id"
                    + " of a subnet: /subscriptions/{subscriptionId}/resourceGroups/"
                    + "{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/"
                    + "{virtualNetworkName}/subnets/{subnetName}.",
                id, name));
      }
    }
    String type = ip.path("type").asText("");
    if ("Private".equalsIgnoreCase(type) && !inVnet) {
      throw ArmException.badRequest(
          "InvalidIpAddressType",
          String.format(
              "IP Address type in container group '%s' is invalid. Private IP address is only"
                  + " supported when network profile is defined.",
              name));
    }
    if ("Public".equalsIgnoreCase(type) && inVnet) {
      throw ArmException.badRequest(
          "InvalidIpAddressType",
          String.format(
              "IP Address type in container group '%s' is invalid. Public IP address is not"
                  + " supported for a container group in a virtual network.",
              name));
    }
  }

  /** Resource totals of a group body, for quota accounting. */
  public static double totalCpu(JsonNode body) {
    double cpu = 0;
    for (JsonNode container : body.path("properties").path("containers")) {
      cpu += container.path("properties").path("resources").path("requests").path("cpu").asDouble();
    }
    return cpu;
  }

  private void checkContainer(
      String group,
      JsonNode container,
      Set<String> names,
      Set<String> volumeNames,
      JsonNode props,
      boolean init) {
    String containerName = container.path("name").asText("");
    checkName(containerName, "InvalidContainerName", "container");
    if (!names.add(containerName)) {
      throw ArmException.badRequest(
          "DuplicateContainerName",
          String.format(
              "Duplicate container name '%s' in container group '%s'.", containerName, group));
    }
    JsonNode cp = container.path("properties");
    if (!cp.hasNonNull("image") || cp.get("image").asText().isBlank()) {
      throw missing("image");
    }
    if (!init && !cp.path("resources").path("requests").isObject()) {
      throw missing("resources");
    }
    for (JsonNode mount : cp.path("volumeMounts")) {
      String volume = mount.path("name").asText();
      if (!volumeNames.contains(volume)) {
        throw ArmException.badRequest(
            "VolumeMountVolumeNotFound",
            String.format(
                "The volume '%s' mounted by container '%s' is not defined in the container group.",
                volume, containerName));
      }
    }
    String image = cp.get("image").asText();
    String registry = registryOf(image);
    if (!PUBLIC_REGISTRIES.contains(registry) && !hasCredentials(props, registry)) {
      throw ArmException.badRequest(
          "InaccessibleImage",
          String.format(
              "The image '%s' in container group '%s' is not accessible. Please check the image"
                  + " and registry credential.",
              image, group));
    }
  }

  private static boolean hasCredentials(JsonNode props, String registry) {
    for (JsonNode credentials : props.path("imageRegistryCredentials")) {
      if (credentials.path("server").asText().equalsIgnoreCase(registry)) {
        return true;
      }
    }
    return false;
  }

  /** The registry host of an image reference; Docker Hub when the first part is not a host. */
  public static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = image.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? first.toLowerCase(Locale.ROOT) : "docker.io";
  }

  private static void checkName(String name, String code, String what) {
    if (name == null
        || name.length() > 63
        || !NAME.matcher(name).matches()
        || name.contains("--")) {
      throw ArmException.badRequest(
          code,
          String.format(
              "The %s name '%s' is invalid. The name must contain no more than 63 characters and"
                  + " only lowercase alphanumeric characters and '-'. It must start and end with"
                  + " an alphanumeric character and must not contain '--'.",
              what, name));
    }
  }

  /** The required properties of the spec's GitRepoVolume and AzureFileVolume. */
  private static void checkVolumeSource(JsonNode volume) {
    JsonNode gitRepo = volume.path("gitRepo");
    if (gitRepo.isObject() && gitRepo.path("repository").asText("").isEmpty()) {
      throw missing("repository");
    }
    JsonNode azureFile = volume.path("azureFile");
    if (azureFile.isObject()) {
      for (String required : new String[] {"shareName", "storageAccountName"}) {
        if (azureFile.path(required).asText("").isEmpty()) {
          throw missing(required);
        }
      }
    }
  }

  private static ArmException missing(String property) {
    return invalidContent(
        String.format(
            "The request content was invalid and could not be deserialized: 'Required property"
                + " '%s' not found in JSON.'",
            property));
  }

  private static ArmException invalidContent(String message) {
    return ArmException.badRequest("InvalidRequestContent", message);
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
