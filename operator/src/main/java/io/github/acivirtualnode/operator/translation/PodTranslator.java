package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.DnsConfiguration;
import com.azure.resourcemanager.containerinstance.models.ImageRegistryCredential;
import com.azure.resourcemanager.containerinstance.models.InitContainerDefinition;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pod to container group: the entry point of the translation. Pure: no I/O, no logging, the same
 * answer for the same input. Each concern has its own class (containers, resources, environment,
 * volumes, probes, security, registry credentials, naming); this one checks the pod-level fields
 * and puts the group together.
 */
public final class PodTranslator {
  private PodTranslator() {}

  /**
   * Translates a pod bound to a virtual node.
   *
   * @param pod the pod as the API server has it (with its UID and defaulted fields)
   * @param refs the Secrets and ConfigMaps it references ({@link PodReferences#referencedBy})
   * @param node the virtual node it is bound to
   * @return the group to PUT with its name, or every reason it cannot be made
   */
  public static TranslationResult translate(Pod pod, PodReferences refs, NodeContext node) {
    Findings findings = new Findings();
    PodSpec spec = pod.getSpec();
    if (spec == null || Lists.of(spec.getContainers()).isEmpty()) {
      findings.invalid("spec.containers", "a pod needs at least one container");
      return new TranslationResult.Rejected(findings.errors());
    }
    if (pod.getMetadata() == null || Lists.isBlank(pod.getMetadata().getUid())) {
      findings.invalid("metadata.uid", "a pod needs a UID (translate the pod the API server has)");
      return new TranslationResult.Rejected(findings.errors());
    }
    checkPodFields(pod, node, findings);
    SecurityTranslator.checkPod(spec.getSecurityContext(), findings);

    VolumeTranslator.Volumes volumes = VolumeTranslator.translate(pod, refs, node, findings);
    List<com.azure.resourcemanager.containerinstance.models.Container> containers =
        new ArrayList<>();
    List<Container> podContainers = spec.getContainers();
    for (int i = 0; i < podContainers.size(); i++) {
      containers.add(
          ContainerTranslator.translate(
              pod,
              podContainers.get(i),
              "spec.containers[" + i + "]",
              refs,
              node,
              volumes,
              findings));
    }
    // Sidecars (init containers with restartPolicy Always) run as containers of the group, after
    // the app containers; the others as the group's init containers, with its total resources.
    List<Container> podInit = Lists.of(spec.getInitContainers());
    for (int i = 0; i < podInit.size(); i++) {
      if (InitContainers.isSidecar(podInit.get(i))) {
        containers.add(
            ContainerTranslator.translate(
                pod,
                podInit.get(i),
                "spec.initContainers[" + i + "]",
                refs,
                node,
                volumes,
                true,
                findings));
      }
    }
    ResourceTranslator.Effective total = ResourceTranslator.groupTotal(containers);
    List<InitContainerDefinition> initContainers = new ArrayList<>();
    for (int i = 0; i < podInit.size(); i++) {
      if (!InitContainers.isSidecar(podInit.get(i))) {
        initContainers.add(
            ContainerTranslator.translateInit(
                pod,
                podInit.get(i),
                "spec.initContainers[" + i + "]",
                refs,
                node,
                volumes,
                total,
                findings));
      }
    }
    List<String> images = new ArrayList<>();
    podContainers.forEach(c -> images.add(c.getImage()));
    podInit.forEach(c -> images.add(c.getImage()));
    Set<String> registries = RegistryCredentialTranslator.registriesOf(images);
    List<ImageRegistryCredential> credentials =
        RegistryCredentialTranslator.translate(pod, registries, refs, findings);

    String name = GroupNaming.groupName(pod);
    ContainerGroupInner group =
        new ContainerGroupInner()
            .withContainers(containers)
            .withInitContainers(initContainers.isEmpty() ? null : initContainers)
            .withOsType(node.osType())
            .withRestartPolicy(restartPolicy(spec.getRestartPolicy()))
            .withVolumes(volumes.aci().isEmpty() ? null : volumes.aci())
            .withImageRegistryCredentials(credentials.isEmpty() ? null : credentials)
            .withIpAddress(NetworkSettings.ipAddress(pod, containers, node, findings))
            .withSubnetIds(NetworkSettings.subnetIds(node))
            .withDnsConfig(dns(spec, findings));
    group.withLocation(node.region());
    group.withTags(GroupNaming.tags(pod, node));
    // Last: Spot's limits are checked against the group as made (its IP, its total resources).
    GroupSettings.apply(pod, node, group, findings);
    if (findings.hasErrors()) {
      return new TranslationResult.Rejected(findings.errors());
    }
    return new TranslationResult.Translated(name, group, findings.notices());
  }

  /** The pod's restart policy as ACI's (the API server defaults it to Always). */
  static ContainerGroupRestartPolicy restartPolicy(String policy) {
    if ("OnFailure".equals(policy)) {
      return ContainerGroupRestartPolicy.ON_FAILURE;
    }
    if ("Never".equals(policy)) {
      return ContainerGroupRestartPolicy.NEVER;
    }
    return ContainerGroupRestartPolicy.ALWAYS;
  }

  private static void checkPodFields(Pod pod, NodeContext node, Findings findings) {
    PodSpec spec = pod.getSpec();
    if (!Lists.of(spec.getEphemeralContainers()).isEmpty()) {
      findings.apply(PodField.EPHEMERAL_CONTAINERS, "spec.ephemeralContainers");
    }
    if (Lists.isTrue(spec.getHostNetwork())) {
      findings.apply(PodField.HOST_NETWORK, "spec.hostNetwork");
    }
    if (Lists.isTrue(spec.getHostPID())) {
      findings.apply(PodField.HOST_PID, "spec.hostPID");
    }
    if (Lists.isTrue(spec.getHostIPC())) {
      findings.apply(PodField.HOST_IPC, "spec.hostIPC");
    }
    if (Boolean.FALSE.equals(spec.getHostUsers())) {
      findings.apply(PodField.HOST_USERS, "spec.hostUsers");
    }
    if (Lists.isTrue(spec.getShareProcessNamespace())) {
      findings.apply(PodField.SHARE_PROCESS_NAMESPACE, "spec.shareProcessNamespace");
    }
    // ClusterFirst (the API server's default), ClusterFirstWithHostNet (hostNetwork is refused)
    // and Default all get ACI's resolver; None leaves the configuration to dnsConfig.
    findings.apply(
        "None".equals(spec.getDnsPolicy()) ? PodField.DNS_POLICY_NONE : PodField.DNS_POLICY,
        "spec.dnsPolicy");
    if (spec.getActiveDeadlineSeconds() != null) {
      findings.apply(PodField.ACTIVE_DEADLINE_SECONDS, "spec.activeDeadlineSeconds");
    }
    if (!Lists.of(spec.getHostAliases()).isEmpty()) {
      findings.apply(PodField.HOST_ALIASES, "spec.hostAliases");
    }
    if (!Lists.isBlank(spec.getRuntimeClassName())) {
      findings.apply(PodField.RUNTIME_CLASS_NAME, "spec.runtimeClassName");
    }
    if (!Lists.of(spec.getResourceClaims()).isEmpty()) {
      findings.apply(PodField.RESOURCE_CLAIMS, "spec.resourceClaims");
    }
    if (spec.getResources() != null
        && (!Lists.of(spec.getResources().getRequests()).isEmpty()
            || !Lists.of(spec.getResources().getLimits()).isEmpty())) {
      findings.apply(PodField.POD_RESOURCES, "spec.resources");
    }
    if (!Lists.isBlank(spec.getHostname())
        || !Lists.isBlank(spec.getSubdomain())
        || !Lists.isBlank(spec.getHostnameOverride())
        || Lists.isTrue(spec.getSetHostnameAsFQDN())) {
      findings.apply(PodField.HOSTNAME, "spec.hostname");
    }
    if (spec.getOs() != null && spec.getOs().getName() != null) {
      String wanted = spec.getOs().getName().toLowerCase(Locale.ROOT);
      String have = node.osType().toString().toLowerCase(Locale.ROOT);
      if (!wanted.equals(have)) {
        findings.apply(
            PodField.OS_NAME,
            "spec.os.name",
            "the pod asks for " + spec.getOs().getName() + " but the node runs " + node.osType());
      }
    }
    if (node.osType() == OperatingSystemTypes.WINDOWS
        && InitContainers.groupContainers(pod).size() > 1) {
      findings.apply(PodField.WINDOWS_MULTI_CONTAINER, "spec.containers");
    }
  }

  private static DnsConfiguration dns(PodSpec spec, Findings findings) {
    var dns = spec.getDnsConfig();
    if (dns == null) {
      return null;
    }
    if (Lists.of(dns.getNameservers()).isEmpty()) {
      if (!Lists.of(dns.getSearches()).isEmpty() || !Lists.of(dns.getOptions()).isEmpty()) {
        findings.apply(PodField.DNS_CONFIG_WITHOUT_NAMESERVERS, "spec.dnsConfig");
      }
      return null;
    }
    DnsConfiguration aci = new DnsConfiguration().withNameServers(dns.getNameservers());
    if (!Lists.of(dns.getSearches()).isEmpty()) {
      aci.withSearchDomains(String.join(" ", dns.getSearches()));
    }
    if (!Lists.of(dns.getOptions()).isEmpty()) {
      aci.withOptions(
          dns.getOptions().stream()
              .map(o -> o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue())
              .collect(Collectors.joining(" ")));
    }
    return aci;
  }
}
