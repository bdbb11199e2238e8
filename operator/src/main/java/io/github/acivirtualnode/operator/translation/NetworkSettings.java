package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import com.azure.resourcemanager.containerinstance.models.ContainerPort;
import com.azure.resourcemanager.containerinstance.models.IpAddress;
import com.azure.resourcemanager.containerinstance.models.Port;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A group's network: the VNet subnets of its node, and its IP address. A group whose containers
 * expose ports gets an address with those ports (each once): a private one in the node's VNet, a
 * public one otherwise. A pod may ask for no address ({@code ip-address-type: None}, to keep its
 * ports off the internet) or for a DNS name label on its public address, by annotation.
 */
final class NetworkSettings {
  static final String IP_ADDRESS_TYPE = GroupSettings.PREFIX + "ip-address-type";
  static final String DNS_NAME_LABEL = GroupSettings.PREFIX + "dns-name-label";

  /** ACI's rule for a DNS name label: 5 to 63 characters, a lowercase letter first. */
  private static final Pattern LABEL = Pattern.compile("^[a-z][a-z0-9-]{3,61}[a-z0-9]$");

  private NetworkSettings() {}

  static List<ContainerGroupSubnetId> subnetIds(NodeContext node) {
    if (!node.inVnet()) {
      return null;
    }
    return node.subnetIds().stream().map(id -> new ContainerGroupSubnetId().withId(id)).toList();
  }

  /** The group's address, or null for none. */
  static IpAddress ipAddress(
      Pod pod, List<Container> containers, NodeContext node, Findings findings) {
    Map<String, String> annotations = Lists.of(pod.getMetadata().getAnnotations());
    List<Port> ports = ports(containers);
    ContainerGroupIpAddressType type = type(annotations, node, ports, findings);
    String label = label(annotations, type, findings);
    if (type == null) {
      return null;
    }
    return new IpAddress().withType(type).withPorts(ports).withDnsNameLabel(label);
  }

  /** The address's type, null for none: the annotation's, else the node's when there are ports. */
  private static ContainerGroupIpAddressType type(
      Map<String, String> annotations, NodeContext node, List<Port> ports, Findings findings) {
    String value = annotations.get(IP_ADDRESS_TYPE);
    if (value == null) {
      return ports.isEmpty() ? null : node.ipAddressType();
    }
    String path = path(IP_ADDRESS_TYPE);
    ContainerGroupIpAddressType type;
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "none" -> {
        findings.apply(PodField.IP_ADDRESS_NONE, path);
        return null;
      }
      case "public" -> type = ContainerGroupIpAddressType.PUBLIC;
      case "private" -> type = ContainerGroupIpAddressType.PRIVATE;
      default -> {
        findings.invalid(
            path, "'" + value + "' is not an IP address type: Public, Private or None");
        return null;
      }
    }
    if (type == ContainerGroupIpAddressType.PUBLIC && node.inVnet()) {
      findings.apply(PodField.IP_ADDRESS_PUBLIC_IN_VNET, path);
      return null;
    }
    if (type == ContainerGroupIpAddressType.PRIVATE && !node.inVnet()) {
      findings.apply(PodField.IP_ADDRESS_PRIVATE_WITHOUT_VNET, path);
      return null;
    }
    if (ports.isEmpty()) {
      findings.apply(PodField.IP_ADDRESS_WITHOUT_PORTS, path);
      return null;
    }
    findings.apply(PodField.IP_ADDRESS_TYPE, path);
    return type;
  }

  private static String label(
      Map<String, String> annotations, ContainerGroupIpAddressType type, Findings findings) {
    String value = annotations.get(DNS_NAME_LABEL);
    if (value == null) {
      return null;
    }
    String path = path(DNS_NAME_LABEL);
    String label = value.trim();
    if (!LABEL.matcher(label).matches() || label.contains("--")) {
      findings.invalid(
          path,
          "'"
              + value
              + "' is not a DNS name label: 5 to 63 lowercase letters, digits and single dashes,"
              + " a letter first, no dash last");
      return null;
    }
    if (type != ContainerGroupIpAddressType.PUBLIC) {
      findings.apply(PodField.DNS_NAME_LABEL_WITHOUT_PUBLIC_IP, path);
      return null;
    }
    findings.apply(PodField.DNS_NAME_LABEL, path);
    return label;
  }

  /** The ports of all the group's containers, each port and protocol once. */
  private static List<Port> ports(List<Container> containers) {
    Set<String> seen = new LinkedHashSet<>();
    List<Port> ports = new ArrayList<>();
    for (var c : containers) {
      for (ContainerPort p : Lists.of(c.ports())) {
        String protocol = p.protocol() == null ? "TCP" : p.protocol().toString();
        if (seen.add(p.port() + "/" + protocol)) {
          ports.add(
              new Port()
                  .withPort(p.port())
                  .withProtocol(ContainerGroupNetworkProtocol.fromString(protocol)));
        }
      }
    }
    return ports;
  }

  private static String path(String annotation) {
    return "metadata.annotations[" + annotation + "]";
  }
}
