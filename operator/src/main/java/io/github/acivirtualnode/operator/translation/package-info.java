/**
 * Pure translation between Kubernetes pods and ACI container groups: no I/O, no clients, no
 * logging; only fabric8 and Azure SDK model classes (an import rule test keeps it so).
 *
 * <h2>Pod to container group</h2>
 *
 * {@link io.github.acivirtualnode.operator.translation.PodTranslator#translate} takes a pod, the
 * Secrets and ConfigMaps it references ({@link
 * io.github.acivirtualnode.operator.translation.PodReferences#referencedBy} says which to read,
 * from the pod's namespace) and its node ({@link
 * io.github.acivirtualnode.operator.translation.NodeContext}) and gives either a {@code Translated}
 * group to PUT under its deterministic name ({@link
 * io.github.acivirtualnode.operator.translation.GroupNaming}), with notices for what it accepted
 * but could not honour in full, or a {@code Rejected} list of {@link
 * io.github.acivirtualnode.operator.translation.TranslationError}s: the field path and a human
 * reason for everything ACI cannot do. Nothing is dropped silently. What happens to each field is
 * data, {@code PodField}, from which the README's feature matrix is generated. A rejection made
 * only of missing references is {@code retriable()} (the kubelet waits for them); any other is
 * permanent.
 *
 * <p>Decisions a caller should know:
 *
 * <ul>
 *   <li>Secret values reach ACI only as {@code secureValue} environment variables (also when a
 *       literal value expands a secret variable) and as secret volumes; a command or args that
 *       would expand a secret is an error, as ACI shows commands in plain text.
 *   <li>{@code command + args} become ACI's command; args alone are an error (the image's
 *       entrypoint is unknown). {@code $(VAR)} is expanded as the kubelet does it.
 *   <li>CPU is rounded up to hundredths of a core, memory up to tenths of a GB (10^9 bytes);
 *       missing requests take the limit, else the node's defaults.
 *   <li>The service account token volume the API server injects is left out with a notice; service
 *       link variables are not added; dnsPolicy ClusterFirst cannot reach cluster DNS from ACI.
 *   <li>A group gets an IP address only when its containers expose ports (ACI needs ports for one),
 *       of the node's address type.
 *   <li>Init containers become the group's {@code initContainers}; ACI gives them the group's total
 *       resources, so a request above it is an error. Native sidecars (restartPolicy Always) become
 *       regular containers after the app containers ({@link
 *       io.github.acivirtualnode.operator.translation.InitContainers}); ACI starts them with the
 *       app containers, not before.
 * </ul>
 *
 * <h2>Container group to pod status</h2>
 *
 * {@link io.github.acivirtualnode.operator.translation.PodStatusTranslator#observe} maps a group as
 * a GET returns it to the pod status a kubelet would post, and lists the ACI events to forward
 * ({@link io.github.acivirtualnode.operator.translation.AciEvent#key} makes forwarding idempotent).
 * A list answer has no instance view and yields nothing new. {@code vanished}, {@code rejected} and
 * {@code waiting} give the statuses of a pod whose group disappeared, that cannot run, or that
 * waits. Ready is honest: see {@link io.github.acivirtualnode.operator.translation.Readiness}. Init
 * containers and sidecars are reported in {@code initContainerStatuses}; {@code Initialized} is
 * False ({@code ContainersNotInitialized}) until every init container exited 0.
 *
 * <h2>Extension points</h2>
 *
 * One class per concern: {@code ContainerTranslator}, {@code ResourceTranslator}, {@code
 * GpuOffering} (the GPU refusal, where a GPU offering would plug in), {@code EnvTranslator}, {@code
 * VolumeTranslator} (more volume kinds), {@code ProbeTranslator}, {@code SecurityTranslator},
 * {@code RegistryCredentialTranslator}, {@code InitContainers}; Spot ({@code priority}) and
 * networking ({@code subnetIds}) plug into {@code PodTranslator}, which assembles the group.
 */
package io.github.acivirtualnode.operator.translation;
