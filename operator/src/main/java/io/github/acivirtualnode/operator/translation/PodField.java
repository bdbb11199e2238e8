package io.github.acivirtualnode.operator.translation;

import java.util.Objects;

/**
 * What the translation does with each pod and container field: the decisions as data. The
 * translators report a field through {@link Findings#apply}, which refuses it, notes it or lets it
 * pass by its {@link Treatment}, with the reason written here; the README's feature matrix is
 * generated from this table and a test keeps the two equal, so neither can drift.
 *
 * <p>Paths are generic: {@code containers[]} stands for every app container and native sidecar
 * (init containers have their own table in the README), {@code *Probe} for liveness, readiness and
 * startup probes. A field with several outcomes has one row per condition ({@link #when}).
 *
 * <p>The rule for security settings: one that ACI cannot enforce is refused, never dropped, as
 * running a container with less protection or other IDs than asked is worse than not running it;
 * one that asks for what ACI does anyway (the runtime's default profiles, the default /proc) is
 * accepted. None is ignored with a notice.
 */
enum PodField {
  // Pod-level fields.
  CONTAINERS("spec.containers", "", Treatment.TRANSLATED, "one ACI container each, in order"),
  WINDOWS_MULTI_CONTAINER(
      "spec.containers",
      "more than one on a Windows node",
      Treatment.REFUSED,
      "ACI runs only one container per Windows container group"),
  INIT_CONTAINERS(
      "spec.initContainers",
      "",
      Treatment.TRANSLATED,
      "ACI init containers, in order; sidecars (restartPolicy Always) become containers of the"
          + " group after the app containers (see the init container table)"),
  EPHEMERAL_CONTAINERS(
      "spec.ephemeralContainers",
      "",
      Treatment.REFUSED,
      "ACI cannot add containers to a running group"),
  HOST_NETWORK(
      "spec.hostNetwork",
      "true",
      Treatment.REFUSED,
      "a container group has no host network to share"),
  HOST_PID(
      "spec.hostPID",
      "true",
      Treatment.REFUSED,
      "a container group has no host PID namespace to share"),
  HOST_IPC(
      "spec.hostIPC",
      "true",
      Treatment.REFUSED,
      "a container group has no host IPC namespace to share"),
  HOST_USERS("spec.hostUsers", "false", Treatment.REFUSED, "ACI has no user namespaces"),
  SHARE_PROCESS_NAMESPACE(
      "spec.shareProcessNamespace",
      "true",
      Treatment.REFUSED,
      "ACI containers do not share a process namespace"),
  HOST_ALIASES("spec.hostAliases", "", Treatment.REFUSED, "ACI cannot add entries to /etc/hosts"),
  RUNTIME_CLASS_NAME(
      "spec.runtimeClassName", "", Treatment.REFUSED, "ACI has one runtime of its own"),
  RESOURCE_CLAIMS(
      "spec.resourceClaims", "", Treatment.REFUSED, "ACI has no dynamic resource allocation"),
  POD_RESOURCES(
      "spec.resources",
      "",
      Treatment.REFUSED,
      "ACI sets resources per container; set them on the containers"),
  HOSTNAME(
      "spec.hostname",
      "or subdomain, setHostnameAsFQDN, hostnameOverride",
      Treatment.IGNORED,
      "ACI sets a container group's host name itself; hostname ignored"),
  OS_NAME(
      "spec.os.name",
      "other than the node's",
      Treatment.REFUSED,
      "the pod asks for another operating system than the node runs"),
  RESTART_POLICY(
      "spec.restartPolicy",
      "",
      Treatment.TRANSLATED,
      "the group's restart policy, the same values"),
  DNS_POLICY(
      "spec.dnsPolicy",
      "ClusterFirst, ClusterFirstWithHostNet or Default",
      Treatment.INERT,
      "a container group resolves names with Azure's DNS (or the VNet's DNS servers): the cluster"
          + " DNS is not reachable from ACI, so Service names do not resolve; give name servers in"
          + " dnsConfig to use others"),
  DNS_POLICY_NONE(
      "spec.dnsPolicy",
      "None",
      Treatment.TRANSLATED,
      "the pod's dnsConfig is the group's whole DNS configuration"),
  DNS_CONFIG(
      "spec.dnsConfig",
      "with nameservers",
      Treatment.TRANSLATED,
      "ACI's DNS configuration: name servers, search domains and options"),
  ACI_PRIORITY(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Regular or Spot",
      Treatment.TRANSLATED,
      "the group's priority (without it, the VirtualNode's spec.azure.priority): Spot runs on"
          + " spare capacity at a lower price and may be evicted, the pod then fails with reason"
          + " SpotEvicted"),
  SPOT_CONFIDENTIAL(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Spot with sku Confidential",
      Treatment.REFUSED,
      "ACI has no Spot container groups of the Confidential SKU"),
  SPOT_VNET(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Spot on a node in a VNet",
      Treatment.REFUSED,
      "ACI's Spot container groups cannot be placed in a VNet"),
  SPOT_PUBLIC_IP(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Spot with container ports (a public IP)",
      Treatment.REFUSED,
      "ACI's Spot container groups cannot have a public IP: remove the container ports or set"
          + " ip-address-type None"),
  SPOT_SIZE(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Spot above 4 vCPU or 16 GB",
      Treatment.REFUSED,
      "a Spot container group has at most 4 vCPU and 16 GB"),
  SPOT_REGION(
      "metadata.annotations[acivirtualnode.github.io/priority]",
      "Spot outside eastus2, westeurope, westus",
      Treatment.REFUSED,
      "ACI offers Spot container groups in a few regions only (GroupSettings.SPOT_REGIONS)"),
  SKU(
      "metadata.annotations[acivirtualnode.github.io/sku]",
      "Standard or Confidential",
      Treatment.TRANSLATED,
      "the group's SKU (without it, the VirtualNode's spec.azure.sku): Confidential runs it in a"
          + " hardware-based trusted execution environment"),
  CONFIDENTIAL_WINDOWS(
      "metadata.annotations[acivirtualnode.github.io/sku]",
      "Confidential on a Windows node",
      Treatment.REFUSED,
      "ACI's confidential containers are Linux only"),
  CCE_POLICY(
      "metadata.annotations[acivirtualnode.github.io/cce-policy]",
      "with sku Confidential",
      Treatment.TRANSLATED,
      "the group's confidential computing enforcement policy (base64, as ACI takes it); without"
          + " it ACI applies its default policy"),
  CCE_POLICY_WITHOUT_CONFIDENTIAL(
      "metadata.annotations[acivirtualnode.github.io/cce-policy]",
      "without sku Confidential",
      Treatment.REFUSED,
      "a CCE policy applies only to a group of the Confidential SKU: set the sku annotation to"
          + " Confidential"),
  ZONE(
      "metadata.annotations[acivirtualnode.github.io/zone]",
      "",
      Treatment.TRANSLATED,
      "the group's availability zone: one of 1, 2 or 3, one per group"),
  MANAGED_IDENTITIES(
      "metadata.annotations[acivirtualnode.github.io/managed-identities]",
      "",
      Treatment.TRANSLATED,
      "the group's user-assigned managed identities: resource ids, comma-separated"),
  IP_ADDRESS_TYPE(
      "metadata.annotations[acivirtualnode.github.io/ip-address-type]",
      "Public, or Private on a node in a VNet",
      Treatment.TRANSLATED,
      "the type of the group's IP address (without it: Private in a VNet, Public otherwise, when"
          + " a container has ports)"),
  IP_ADDRESS_NONE(
      "metadata.annotations[acivirtualnode.github.io/ip-address-type]",
      "None",
      Treatment.TRANSLATED,
      "the group gets no IP address: its ports are reachable from nowhere, and the pod has no"
          + " IP"),
  IP_ADDRESS_PUBLIC_IN_VNET(
      "metadata.annotations[acivirtualnode.github.io/ip-address-type]",
      "Public on a node in a VNet",
      Treatment.REFUSED,
      "ACI gives a group in a VNet a private IP address only"),
  IP_ADDRESS_PRIVATE_WITHOUT_VNET(
      "metadata.annotations[acivirtualnode.github.io/ip-address-type]",
      "Private on a node outside a VNet",
      Treatment.REFUSED,
      "a private IP address needs a VNet: give the VirtualNode spec.azure.subnetIds"),
  IP_ADDRESS_WITHOUT_PORTS(
      "metadata.annotations[acivirtualnode.github.io/ip-address-type]",
      "Public or Private without container ports",
      Treatment.REFUSED,
      "ACI gives a group an IP address only with ports: declare the containers' ports"),
  DNS_NAME_LABEL(
      "metadata.annotations[acivirtualnode.github.io/dns-name-label]",
      "with a public IP address",
      Treatment.TRANSLATED,
      "the DNS name label of the group's public IP address: ACI names it"
          + " <label>.<hash>.<region>.azurecontainer.io"),
  DNS_NAME_LABEL_WITHOUT_PUBLIC_IP(
      "metadata.annotations[acivirtualnode.github.io/dns-name-label]",
      "without a public IP address",
      Treatment.REFUSED,
      "a DNS name label belongs to a public IP address: the group has none (a VNet, no ports, or"
          + " ip-address-type None)"),
  IMAGE_PULL_SECRETS(
      "spec.imagePullSecrets",
      "",
      Treatment.TRANSLATED,
      "registry credentials for the registries the pod's images name"),
  IMAGE_PULL_SECRET_MISSING(
      "spec.imagePullSecrets",
      "naming a Secret that does not exist",
      Treatment.IGNORED,
      "the images are pulled without it, as a kubelet pulls them"),
  ACTIVE_DEADLINE_SECONDS(
      "spec.activeDeadlineSeconds",
      "",
      Treatment.EMULATED,
      "enforced as a kubelet enforces it, from the pod's startTime: when it passes, the"
          + " container group is deleted (its containers' logs with it) and the pod fails with"
          + " reason DeadlineExceeded"),
  AUTOMOUNT_SERVICE_ACCOUNT_TOKEN(
      "spec.automountServiceAccountToken",
      "",
      Treatment.INERT,
      "it only decides whether the API server adds the kube-api-access volume, which is left out"
          + " anyway (its row below)"),
  ENABLE_SERVICE_LINKS(
      "spec.enableServiceLinks",
      "",
      Treatment.INERT,
      "no Service variables are added: they would hold cluster IPs, which ACI cannot reach"),
  SERVICE_ACCOUNT_NAME(
      "spec.serviceAccountName",
      "or the deprecated serviceAccount",
      Treatment.TRANSLATED,
      "the account whose tokens projected serviceAccountToken volumes get (TokenRequest) and"
          + " what a spec.serviceAccountName field reference gives; nothing else reaches ACI"),
  DNS_CONFIG_WITHOUT_NAMESERVERS(
      "spec.dnsConfig",
      "searches or options without nameservers",
      Treatment.IGNORED,
      "ACI's DNS configuration needs name servers, and ACI's own are not known here: searches and"
          + " options ignored"),
  VOLUMES(
      "spec.volumes",
      "",
      Treatment.TRANSLATED,
      "one ACI volume each, of the kinds below (VolumeTranslator)"),
  VOLUMES_WINDOWS(
      "spec.volumes",
      "on a Windows node",
      Treatment.REFUSED,
      "ACI mounts volumes only into Linux containers"),
  VOLUME_EMPTY_DIR("spec.volumes[].emptyDir", "", Treatment.TRANSLATED, "an ACI emptyDir volume"),
  VOLUME_EMPTY_DIR_MEDIUM(
      "spec.volumes[].emptyDir.medium",
      "Memory, HugePages",
      Treatment.REFUSED,
      "ACI emptyDir volumes are disk-backed"),
  VOLUME_EMPTY_DIR_SIZE_LIMIT(
      "spec.volumes[].emptyDir.sizeLimit",
      "",
      Treatment.REFUSED,
      "ACI emptyDir volumes have no size limit"),
  VOLUME_SECRET(
      "spec.volumes[].secret",
      "",
      Treatment.TRANSLATED,
      "an ACI secret volume (file name -> base64 content, sent once, never returned by ARM); a"
          + " missing optional Secret gives an empty directory"),
  VOLUME_CONFIG_MAP(
      "spec.volumes[].configMap",
      "",
      Treatment.TRANSLATED,
      "an ACI secret volume, as ACI has no configMap volume"),
  VOLUME_DOWNWARD_API(
      "spec.volumes[].downwardAPI",
      "",
      Treatment.TRANSLATED,
      "an ACI secret volume of the values at create time, written as the kubelet writes them"
          + " (labels and annotations as sorted key=\"value\" lines, resources as"
          + " ceil(amount / divisor)); ACI cannot update the files, so later label or annotation"
          + " changes are not seen"),
  VOLUME_DOWNWARD_API_POD_IP(
      "spec.volumes[].downwardAPI.items[].fieldRef",
      "status.podIP, in a volume or projection",
      Treatment.REFUSED,
      "the pod's IP is unknown until ACI has created the group, and a volume's files are fixed"
          + " when it is created; read the address from inside the container (hostname -i)"),
  VOLUME_PROJECTED(
      "spec.volumes[].projected.sources[]",
      "secret, configMap, downwardAPI",
      Treatment.TRANSLATED,
      "one ACI secret volume holding the files of all the volume's sources, each as the volume of"
          + " its kind; two sources writing one path are refused"),
  VOLUME_SERVICE_ACCOUNT_TOKEN(
      "spec.volumes[].projected.sources[].serviceAccountToken",
      "",
      Treatment.EMULATED,
      "a token for the pod's service account from the TokenRequest API, with the audience and"
          + " expirationSeconds asked (default 1 hour) and bound to the pod, issued once when the"
          + " group is created: ACI cannot replace a mounted file, so it is never refreshed and"
          + " stops working when it expires",
      true),
  VOLUME_PROJECTED_OTHER(
      "spec.volumes[].projected.sources[]",
      "clusterTrustBundle, podCertificate",
      Treatment.REFUSED,
      "not supported on this node: only secret, configMap, downwardAPI and serviceAccountToken"
          + " sources are projected"),
  VOLUME_API_ACCESS(
      "spec.volumes[].projected",
      "the API server's own kube-api-access-* volume",
      Treatment.IGNORED,
      "left out with its mounts: the operator sets up no network path from ACI to the API"
          + " server, so the token and CA would be of no use (set automountServiceAccountToken:"
          + " false to say it is not needed)"),
  VOLUME_ITEMS(
      "spec.volumes[].*.items[]",
      "key, path, mode",
      Treatment.TRANSLATED,
      "the key's value as the file path (a file name, and mode 0644: the rows below)"),
  DOWNWARD_API_ITEMS(
      "spec.volumes[].downwardAPI.items[]",
      "path, fieldRef, resourceFieldRef, mode",
      Treatment.TRANSLATED,
      "a file holding the field's or the resource's value as the kubelet writes it; the fields"
          + " and resources of an environment variable's fieldRef and resourceFieldRef (their"
          + " rows), status.podIP refused"),
  VOLUME_ITEM_DIRECTORY(
      "spec.volumes[].*.items[].path",
      "with a directory (a '/')",
      Treatment.REFUSED,
      "ACI secret volumes are a flat map of file names; a path in a subdirectory cannot be"
          + " written (flattening it would put the file where the container does not look)"),
  VOLUME_FILE_MODE(
      "spec.volumes[].*.defaultMode",
      "or items[].mode, other than 0644",
      Treatment.REFUSED,
      "ACI sets the file mode of secret volumes itself"),
  VOLUME_GIT_REPO(
      "spec.volumes[].gitRepo",
      "",
      Treatment.TRANSLATED,
      "ACI's gitRepo volume: repository, directory and revision, cloned by ACI when it creates"
          + " the group"),
  VOLUME_AZURE_FILE(
      "spec.volumes[].azureFile",
      "",
      Treatment.TRANSLATED,
      "an ACI azureFile volume: the share, readOnly, and the storage account's name and key from"
          + " the keys azurestorageaccountname and azurestorageaccountkey of the Secret secretName"
          + " in the pod's namespace"),
  VOLUME_CSI_AZURE_FILE(
      "spec.volumes[].csi",
      "driver file.csi.azure.com",
      Treatment.TRANSLATED,
      "an ACI azureFile volume: the attribute shareName (storageAccount when the Secret has no"
          + " account name), readOnly, and the Secret of nodePublishSecretRef or of the attribute"
          + " secretName (else the driver's azure-storage-account-<storageAccount>-secret), in the"
          + " pod's namespace"),
  VOLUME_CSI_SECRET_NAMESPACE(
      "spec.volumes[].csi.volumeAttributes.secretNamespace",
      "other than the pod's namespace",
      Treatment.REFUSED,
      "an inline volume reads Secrets in the pod's own namespace only"),
  VOLUME_CSI_OTHER(
      "spec.volumes[].csi",
      "any other driver",
      Treatment.REFUSED,
      "ACI mounts Azure Files shares only (driver file.csi.azure.com); other CSI drivers have no"
          + " ACI counterpart"),
  VOLUME_AZURE_FILE_PROTOCOL(
      "spec.volumes[].csi.volumeAttributes.protocol",
      "nfs, or a PersistentVolume's",
      Treatment.REFUSED,
      "ACI mounts Azure Files shares over SMB only"),
  VOLUME_AZURE_FILE_MOUNT_OPTIONS(
      "spec.volumes[].csi.volumeAttributes.mountOptions",
      "or a PersistentVolume's mountOptions",
      Treatment.IGNORED,
      "ACI mounts Azure Files shares with options of its own; mount options ignored",
      true),
  VOLUME_CLAIM(
      "spec.volumes[].persistentVolumeClaim",
      "bound to an Azure Files PersistentVolume",
      Treatment.TRANSLATED,
      "an ACI azureFile volume from the PersistentVolume the claim is bound to (azureFile, or csi"
          + " with driver file.csi.azure.com, whose share is the attribute shareName or the third"
          + " part of its volumeHandle) and the Secret it names (its secretNamespace, else the"
          + " pod's); readOnly if the pod or the volume says so; the pod waits while the claim is"
          + " missing or unbound"),
  VOLUME_CLAIM_OTHER(
      "spec.volumes[].persistentVolumeClaim",
      "bound to any other PersistentVolume, or a block volume",
      Treatment.REFUSED,
      "ACI mounts Azure Files shares only; a container group has no disk or other storage to"
          + " attach"),
  VOLUME_OTHER(
      "spec.volumes[]",
      "awsElasticBlockStore, azureDisk, cephfs, cinder, ephemeral, fc, flexVolume, flocker,"
          + " gcePersistentDisk, glusterfs, hostPath, image, iscsi, nfs, photonPersistentDisk,"
          + " portworxVolume, quobyte, rbd, scaleIO, storageos, vsphereVolume",
      Treatment.REFUSED,
      "ACI's volumes are azureFile, emptyDir, gitRepo and secret only; a container group has no"
          + " host, block device or other storage to mount"),
  READINESS_GATES(
      "spec.readinessGates", "", Treatment.TRANSLATED, "the pod's Ready condition waits for them"),
  POD_SECURITY_CONTEXT(
      "spec.securityContext",
      "",
      Treatment.TRANSLATED,
      "runAsUser, runAsGroup, runAsNonRoot, seccompProfile, appArmorProfile, seLinuxOptions and"
          + " windowsOptions apply to every container that sets none, as on a kubelet (their rows"
          + " below); the others are their own rows"),
  POD_FS_GROUP(
      "spec.securityContext.fsGroup",
      "",
      Treatment.REFUSED,
      "ACI cannot change the group of volume files"),
  POD_FS_GROUP_CHANGE_POLICY(
      "spec.securityContext.fsGroupChangePolicy",
      "",
      Treatment.REFUSED,
      "ACI cannot change the group of volume files"),
  POD_SUPPLEMENTAL_GROUPS(
      "spec.securityContext.supplementalGroups",
      "",
      Treatment.REFUSED,
      "ACI has no supplemental groups"),
  POD_SUPPLEMENTAL_GROUPS_POLICY(
      "spec.securityContext.supplementalGroupsPolicy",
      "",
      Treatment.REFUSED,
      "ACI has no supplemental groups"),
  POD_SYSCTLS("spec.securityContext.sysctls", "", Treatment.REFUSED, "ACI cannot set sysctls"),
  POD_SE_LINUX_CHANGE_POLICY(
      "spec.securityContext.seLinuxChangePolicy",
      "",
      Treatment.REFUSED,
      "ACI has no SELinux labels"),

  // Pod fields for the scheduler and the control plane: settled before the pod reaches the node.
  NODE_NAME(
      "spec.nodeName",
      "",
      Treatment.TRANSLATED,
      "the binding: the node's pod watch takes the pods bound to it"),
  AFFINITY("spec.affinity", "", Treatment.INERT, PodField.SCHEDULED),
  NODE_SELECTOR("spec.nodeSelector", "", Treatment.INERT, PodField.SCHEDULED),
  TOLERATIONS("spec.tolerations", "", Treatment.INERT, PodField.SCHEDULED),
  TOPOLOGY_SPREAD_CONSTRAINTS(
      "spec.topologySpreadConstraints", "", Treatment.INERT, PodField.SCHEDULED),
  SCHEDULER_NAME("spec.schedulerName", "", Treatment.INERT, PodField.SCHEDULED),
  SCHEDULING_GATES("spec.schedulingGates", "", Treatment.INERT, PodField.SCHEDULED),
  PRIORITY("spec.priority", "", Treatment.INERT, PodField.SCHEDULED),
  PRIORITY_CLASS_NAME("spec.priorityClassName", "", Treatment.INERT, PodField.SCHEDULED),
  PREEMPTION_POLICY("spec.preemptionPolicy", "", Treatment.INERT, PodField.SCHEDULED),
  OVERHEAD("spec.overhead", "", Treatment.INERT, PodField.SCHEDULED),
  TERMINATION_GRACE_PERIOD(
      "spec.terminationGracePeriodSeconds",
      "",
      Treatment.INERT,
      "ACI cannot give containers time to stop: the group is deleted at once (see Deletion)"),

  // Container fields.
  NAME("containers[].name", "", Treatment.TRANSLATED, "the ACI container's name"),
  IMAGE("containers[].image", "", Treatment.TRANSLATED, "the ACI container's image"),
  IMAGE_PULL_POLICY(
      "containers[].imagePullPolicy",
      "",
      Treatment.INERT,
      "ACI pulls the image when it creates the group"),
  COMMAND(
      "containers[].command",
      "",
      Treatment.TRANSLATED,
      "ACI's command, followed by args, $(VAR) expanded as the kubelet expands it"),
  ARGS("containers[].args", "with a command", Treatment.TRANSLATED, "appended to ACI's command"),
  ARGS_ALONE(
      "containers[].args",
      "without a command",
      Treatment.REFUSED,
      "ACI has no args of its own, only a command that replaces the image's entrypoint, which is"
          + " unknown here; set command to the entrypoint followed by these args"),
  SECRET_IN_COMMAND(
      "containers[].command",
      "or args, expanding a variable that holds a Secret value",
      Treatment.REFUSED,
      "ACI shows a container's command in plain text; read the variable inside the container"
          + " instead"),
  WORKING_DIR(
      "containers[].workingDir",
      "",
      Treatment.REFUSED,
      "ACI has no working directory setting; the image's WORKDIR applies (wrap the command in a"
          + " shell that changes directory if needed)"),
  PORTS(
      "containers[].ports",
      "",
      Treatment.TRANSLATED,
      "the container's ports (TCP or UDP), exposed on the group's IP address: a private one on a"
          + " node in a VNet (the VirtualNode's spec.azure.subnetIds), a public one otherwise,"
          + " unless the ip-address-type annotation says None"),
  PORT_PROTOCOL(
      "containers[].ports[].protocol", "SCTP", Treatment.REFUSED, "ACI ports are TCP or UDP"),
  HOST_PORT(
      "containers[].ports[].hostPort",
      "other than containerPort",
      Treatment.REFUSED,
      "a container group's ports are the container's own; hostPort must equal containerPort"),
  HOST_IP(
      "containers[].ports[].hostIP",
      "",
      Treatment.REFUSED,
      "ACI cannot bind a port to a host address"),
  ENV(
      "containers[].env",
      "",
      Treatment.TRANSLATED,
      "ACI environment variables; Secret values as secure values"),
  ENV_FROM(
      "containers[].envFrom",
      "",
      Treatment.TRANSLATED,
      "ACI environment variables; Secret values as secure values"),
  ENV_VALUE(
      "containers[].env[].value",
      "",
      Treatment.TRANSLATED,
      "the literal, its $(VAR) references expanded against the variables defined before it, as"
          + " the kubelet expands them (one that expands a Secret's value is a secure value)"),
  ENV_FIELD_REF(
      "containers[].env[].valueFrom.fieldRef",
      "metadata.name, namespace, uid, labels['k'], annotations['k'], spec.nodeName,"
          + " spec.serviceAccountName, status.hostIP(s)",
      Treatment.TRANSLATED,
      "the value the kubelet gives, fixed when the group is created (the host IP is the"
          + " virtual node's InternalIP)"),
  ENV_POD_IP(
      "containers[].env[].valueFrom.fieldRef",
      "status.podIP, status.podIPs",
      Treatment.REFUSED,
      "unknown until ACI has created the group, and a container group's environment is fixed"
          + " when it is created; read the address from inside the container (hostname -i)"
          + " instead"),
  ENV_HOST_IP_MISSING(
      "containers[].env[].valueFrom.fieldRef",
      "status.hostIP on a node without an InternalIP",
      Treatment.REFUSED,
      "the virtual node has no InternalIP address to give"),
  ENV_FIELD_OTHER(
      "containers[].env[].valueFrom.fieldRef",
      "any other field",
      Treatment.REFUSED,
      "the field cannot be used in an environment variable"),
  ENV_RESOURCE_FIELD_REF(
      "containers[].env[].valueFrom.resourceFieldRef",
      "requests or limits of cpu or memory",
      Treatment.TRANSLATED,
      "ceil(amount / divisor) of the container's own resources (the translated ones when it sets"
          + " none), as the kubelet gives it"),
  ENV_RESOURCE_OTHER_CONTAINER(
      "containers[].env[].valueFrom.resourceFieldRef.containerName",
      "another container's",
      Treatment.REFUSED,
      "only the container's own resources can be referenced in its environment"),
  ENV_RESOURCE_EPHEMERAL(
      "containers[].env[].valueFrom.resourceFieldRef",
      "ephemeral-storage the container does not set",
      Treatment.REFUSED,
      "ACI does not say how much ephemeral storage a container has"),
  ENV_RESOURCE_OTHER(
      "containers[].env[].valueFrom.resourceFieldRef",
      "any other resource",
      Treatment.REFUSED,
      "the resource cannot be referenced"),
  ENV_CONFIG_MAP_KEY_REF(
      "containers[].env[].valueFrom.configMapKeyRef",
      "",
      Treatment.TRANSLATED,
      "the ConfigMap's value; the pod waits while the ConfigMap or the key is missing, unless"
          + " optional"),
  ENV_SECRET_KEY_REF(
      "containers[].env[].valueFrom.secretKeyRef",
      "",
      Treatment.TRANSLATED,
      "the Secret's value as a secure value, which ARM never returns; the pod waits while the"
          + " Secret or the key is missing, unless optional"),
  ENV_VALUE_FROM_OTHER(
      "containers[].env[].valueFrom",
      "fileKeyRef, or no source",
      Treatment.REFUSED,
      "only fieldRef, resourceFieldRef, configMapKeyRef and secretKeyRef are supported: a"
          + " container group has no volume to read a file from before its containers start"),
  ENV_FROM_CONFIG_MAP(
      "containers[].envFrom[].configMapRef",
      "or secretRef",
      Treatment.TRANSLATED,
      "every key as a variable (a Secret's as secure values), with the prefix given; the pod"
          + " waits while the object is missing, unless optional"),
  ENV_FROM_PREFIX(
      "containers[].envFrom[].prefix",
      "",
      Treatment.TRANSLATED,
      "put before each key's name, as the kubelet does"),
  ENV_FROM_OTHER(
      "containers[].envFrom[]",
      "without configMapRef or secretRef",
      Treatment.REFUSED,
      "only configMapRef and secretRef sources are supported"),
  RESOURCES(
      "containers[].resources",
      "cpu, memory",
      Treatment.TRANSLATED,
      "ACI requests and limits, rounded up to 0.01 cores and 0.1 GB"),
  RESOURCE_EPHEMERAL_STORAGE(
      "containers[].resources",
      "ephemeral-storage",
      Treatment.IGNORED,
      "ACI neither reserves nor limits ephemeral storage per container; ignored"),
  RESOURCE_GPU(
      "containers[].resources",
      "nvidia.com/gpu above 0, requested or limited",
      Treatment.REFUSED,
      "ACI retired its GPU SKUs in July 2025; GPU containers cannot run on this node"),
  RESOURCE_OTHER(
      "containers[].resources",
      "any other resource",
      Treatment.REFUSED,
      "ACI has no such resource to give"),
  RESIZE_POLICY(
      "containers[].resizePolicy",
      "",
      Treatment.IGNORED,
      "ACI cannot resize a running container; a resize needs a new pod"),
  RESTART_POLICY_CONTAINER(
      "containers[].restartPolicy",
      "on an app container",
      Treatment.REFUSED,
      "ACI has one restart policy for the whole group"),
  RESTART_POLICY_SIDECAR(
      "containers[].restartPolicy",
      "Always, on an init container",
      Treatment.TRANSLATED,
      "a native sidecar: a container of the group (see the init container table)"),
  SIDECAR_UNDER_POD_POLICY(
      "containers[].restartPolicy",
      "Always, on an init container, in a pod whose restartPolicy is not Always",
      Treatment.EMULATED,
      "ACI has one restart policy for the whole group: the sidecar is restarted as the pod's"
          + " restartPolicy says, not always"),
  RESTART_POLICY_RULES(
      "containers[].restartPolicyRules",
      "",
      Treatment.REFUSED,
      "ACI has one restart policy for the whole group"),
  VOLUME_MOUNTS(
      "containers[].volumeMounts[]",
      "name, mountPath (no ':'), readOnly",
      Treatment.TRANSLATED,
      "ACI volume mounts of the volumes above"),
  MOUNT_SUB_PATH(
      "containers[].volumeMounts[].subPath",
      "or subPathExpr",
      Treatment.REFUSED,
      "ACI mounts whole volumes only"),
  MOUNT_PROPAGATION(
      "containers[].volumeMounts[].mountPropagation",
      "other than None",
      Treatment.REFUSED,
      "ACI has no mount propagation between containers"),
  MOUNT_RECURSIVE_READ_ONLY(
      "containers[].volumeMounts[].recursiveReadOnly",
      "Enabled",
      Treatment.REFUSED,
      "ACI cannot make mounts recursively read-only"),
  VOLUME_DEVICES("containers[].volumeDevices", "", Treatment.REFUSED, "ACI has no block devices"),
  TERMINATION_MESSAGE_PATH(
      "containers[].terminationMessagePath",
      "",
      Treatment.INERT,
      "defaulted by the API server; ACI reports no termination message"),
  TERMINATION_MESSAGE_POLICY(
      "containers[].terminationMessagePolicy",
      "",
      Treatment.INERT,
      "defaulted by the API server; ACI reports no termination message"),
  STDIN(
      "containers[].stdin",
      "true",
      Treatment.REFUSED,
      "ACI does not keep a container's stdin open (kubectl attach gets the output only)"),
  STDIN_ONCE(
      "containers[].stdinOnce",
      "",
      Treatment.INERT,
      "only means something with stdin, which ACI does not have"),
  TTY("containers[].tty", "true", Treatment.REFUSED, "ACI does not give a container a terminal"),

  // Probes.
  LIVENESS_PROBE("containers[].livenessProbe", "", Treatment.TRANSLATED, "ACI's liveness probe"),
  READINESS_PROBE(
      "containers[].readinessProbe",
      "",
      Treatment.TRANSLATED,
      "ACI's readiness probe; ACI reports only failures, so Ready is derived from them and the"
          + " probe's timings"),
  STARTUP_PROBE(
      "containers[].startupProbe",
      "with a livenessProbe",
      Treatment.EMULATED,
      "ACI has no startup probe: the liveness probe starts only once the startup probe could"
          + " have failed for good (its initialDelaySeconds at least the startup probe's"
          + " initialDelaySeconds + failureThreshold x periodSeconds); readiness is not delayed"),
  STARTUP_PROBE_ALONE(
      "containers[].startupProbe",
      "without a livenessProbe",
      Treatment.IGNORED,
      "ACI has no startup probe and there is no liveness probe for it to delay: ignored, so a"
          + " container that never starts is not restarted"),
  STARTUP_PROBE_SIDECAR(
      "containers[].startupProbe",
      "on a sidecar",
      Treatment.REFUSED,
      "a sidecar's startup probe holds back the containers after it, and ACI starts a group's"
          + " containers together"),
  PROBE_EXEC("containers[].*Probe.exec", "", Treatment.TRANSLATED, "ACI's exec probe"),
  PROBE_HTTP_GET(
      "containers[].*Probe.httpGet",
      "",
      Treatment.TRANSLATED,
      "ACI's httpGet probe: path, port (a named port resolved), scheme, headers"),
  PROBE_HTTP_GET_HOST(
      "containers[].*Probe.httpGet.host",
      "",
      Treatment.REFUSED,
      "ACI probes always call the container itself; host cannot be set"),
  PROBE_TCP_SOCKET(
      "containers[].*Probe.tcpSocket",
      "",
      Treatment.REFUSED,
      "ACI probes are exec or httpGet, not tcpSocket; use an exec probe that connects to the port"
          + " or an httpGet probe"),
  PROBE_GRPC(
      "containers[].*Probe.grpc",
      "",
      Treatment.REFUSED,
      "ACI probes are exec or httpGet, not grpc; use an exec probe running a gRPC health client"
          + " (grpc_health_probe) in the image"),
  PROBE_TIMINGS(
      "containers[].*Probe",
      "initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold",
      Treatment.TRANSLATED,
      "the same fields of ACI's probe"),
  PROBE_TERMINATION_GRACE_PERIOD(
      "containers[].*Probe.terminationGracePeriodSeconds",
      "",
      Treatment.REFUSED,
      "ACI probes have no termination grace period of their own"),

  // Lifecycle hooks.
  POST_START(
      "containers[].lifecycle.postStart",
      "",
      Treatment.REFUSED,
      "ACI runs no hooks, and the container may depend on what this one does; run it from the"
          + " container's command instead (a shell that runs it, then the program)"),
  PRE_STOP(
      "containers[].lifecycle.preStop",
      "",
      Treatment.IGNORED,
      "ACI runs no hooks and stops a group's containers at once when the pod is deleted: this"
          + " hook is not run",
      true),
  STOP_SIGNAL(
      "containers[].lifecycle.stopSignal",
      "",
      Treatment.IGNORED,
      "ACI stops containers its own way when the pod is deleted: this signal is not sent",
      true),

  // Security contexts (a container's, or the pod's where the container sets none).
  PRIVILEGED_FALSE(
      "containers[].securityContext.privileged",
      "false",
      Treatment.TRANSLATED,
      "ACI's privileged: false"),
  PRIVILEGED(
      "containers[].securityContext.privileged",
      "true",
      Treatment.REFUSED,
      "ACI does not run privileged containers in Standard container groups (its API's flag is"
          + " documented for Confidential groups only, where it is not translated yet either)"),
  ALLOW_PRIVILEGE_ESCALATION(
      "containers[].securityContext.allowPrivilegeEscalation",
      "",
      Treatment.TRANSLATED,
      "ACI's allowPrivilegeEscalation"),
  CAPABILITIES(
      "containers[].securityContext.capabilities",
      "",
      Treatment.TRANSLATED,
      "ACI's capabilities add and drop"),
  RUN_AS_USER(
      "containers[].securityContext.runAsUser",
      "or the pod's",
      Treatment.TRANSLATED,
      "ACI's runAsUser"),
  RUN_AS_GROUP(
      "containers[].securityContext.runAsGroup",
      "or the pod's",
      Treatment.TRANSLATED,
      "ACI's runAsGroup"),
  RUN_AS_NON_ROOT(
      "containers[].securityContext.runAsNonRoot",
      "true, or the pod's, with runAsUser",
      Treatment.TRANSLATED,
      "checked here against runAsUser, as a kubelet checks it, nothing to send (runAsUser 0 is"
          + " refused as invalid)"),
  RUN_AS_NON_ROOT_UNKNOWN_USER(
      "containers[].securityContext.runAsNonRoot",
      "true, or the pod's, without runAsUser",
      Treatment.REFUSED,
      "ACI cannot check which user the image runs as; set runAsUser to a non-zero UID"),
  READ_ONLY_ROOT_FILESYSTEM(
      "containers[].securityContext.readOnlyRootFilesystem",
      "true",
      Treatment.REFUSED,
      "ACI cannot make a root filesystem read-only"),
  PROC_MOUNT(
      "containers[].securityContext.procMount",
      "other than Default",
      Treatment.REFUSED,
      "ACI has only the default /proc mount"),
  SE_LINUX_OPTIONS(
      "containers[].securityContext.seLinuxOptions",
      "or the pod's",
      Treatment.REFUSED,
      "ACI has no SELinux labels"),
  WINDOWS_OPTIONS(
      "containers[].securityContext.windowsOptions",
      "or the pod's",
      Treatment.REFUSED,
      "ACI has no Windows security options"),
  APP_ARMOR_DEFAULT(
      "containers[].securityContext.appArmorProfile",
      "RuntimeDefault, or the pod's",
      Treatment.INERT,
      "what ACI's runtime does anyway"),
  APP_ARMOR(
      "containers[].securityContext.appArmorProfile",
      "Unconfined or Localhost, or the pod's",
      Treatment.REFUSED,
      "ACI runs containers with its runtime's default AppArmor profile"),
  SECCOMP_DEFAULT(
      "containers[].securityContext.seccompProfile",
      "RuntimeDefault, or the pod's",
      Treatment.INERT,
      "what ACI's runtime does anyway"),
  SECCOMP_UNCONFINED(
      "containers[].securityContext.seccompProfile",
      "Unconfined, or the pod's",
      Treatment.REFUSED,
      "ACI runs containers with its runtime's default seccomp profile (or a whole profile, which"
          + " a pod cannot give)"),
  SECCOMP_LOCALHOST(
      "containers[].securityContext.seccompProfile",
      "Localhost, or the pod's",
      Treatment.REFUSED,
      "ACI takes a seccomp profile's content, and a Localhost profile is a file on a node, which"
          + " a virtual node does not have");

  private static final String SCHEDULED = "the scheduler's: used before the pod is bound here";

  /** What happens to a field. */
  enum Treatment {
    /** Carried over to the container group as what ACI calls it. */
    TRANSLATED("translated"),
    /** ACI has no such thing; the operator gets close to it otherwise (a notice says how). */
    EMULATED("emulated"),
    /** Accepted and not honoured, with a notice (an Event) on the pod saying so. */
    IGNORED("ignored, with an Event"),
    /** Accepted: it changes nothing for ACI (an API server default, ACI's own behaviour). */
    INERT("accepted, no effect"),
    /** The pod fails with this reason, naming the field. */
    REFUSED("refused");

    private final String label;

    Treatment(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final String field;
  private final String when;
  private final Treatment treatment;
  private final String reason;
  private final boolean warning;

  PodField(String field, String when, Treatment treatment, String reason) {
    this(field, when, treatment, reason, false);
  }

  PodField(String field, String when, Treatment treatment, String reason, boolean warning) {
    this.field = Objects.requireNonNull(field);
    this.when = Objects.requireNonNull(when);
    this.treatment = Objects.requireNonNull(treatment);
    this.reason = Objects.requireNonNull(reason);
    this.warning = warning;
  }

  /** The generic field path ({@code containers[]} for every container). */
  String field() {
    return field;
  }

  /** The condition under which this row applies, or empty for always. */
  String when() {
    return when;
  }

  Treatment treatment() {
    return treatment;
  }

  /** What happens, or why not: the error's reason or the notice's message. */
  String reason() {
    return reason;
  }

  /** Whether the notice is a Warning Event (something the pod asked for is not done). */
  boolean warning() {
    return warning;
  }
}
