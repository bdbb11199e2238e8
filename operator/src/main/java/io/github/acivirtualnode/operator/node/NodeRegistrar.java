package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a VirtualNode's Node and keeps it as the spec says; refuses a name that someone else's
 * Node holds. A rename registers the new Node before the old one goes, and remembers the old name
 * so that the container groups tagged with it are cleaned up too.
 */
final class NodeRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistrar.class);

  private final AgentContext ctx;
  private final Runnable onStatusChange;
  private final Set<String> retired = ConcurrentHashMap.newKeySet();

  private String appliedNodeName;
  private Long appliedGeneration;
  private String nodeUid;
  private volatile NodeAgent.Registration registration =
      new NodeAgent.Registration(false, "Registering", "registering the Node", null);

  NodeRegistrar(AgentContext ctx, Runnable onStatusChange) {
    this.ctx = ctx;
    this.onStatusChange = onStatusChange;
  }

  /** An existing Node of this VirtualNode (operator restart): registered at once, no flap. */
  synchronized void adopt(Node existing) {
    appliedNodeName = existing.getMetadata().getName();
    nodeUid = existing.getMetadata().getUid();
    registration =
        new NodeAgent.Registration(
            true, "Registered", "Node " + appliedNodeName + " is registered", null);
  }

  /** The Node whose Lease this agent renews, or null before the first registration. */
  synchronized String leaseHolder() {
    return appliedNodeName;
  }

  synchronized String nodeUid() {
    return nodeUid;
  }

  /**
   * The Node this agent stands for now: the one it applied (also while a spec change is refused, or
   * a rename waits on a conflict), or none, never a Node it did not create.
   */
  synchronized Set<String> ownedNames() {
    return appliedNodeName == null ? Set.of() : Set.of(appliedNodeName);
  }

  /** Names this agent renamed away from, whose container groups may remain. */
  Set<String> retiredNames() {
    return Set.copyOf(retired);
  }

  void retiredCleaned(Set<String> names) {
    retired.removeAll(names);
  }

  NodeAgent.Registration registration(VirtualNode vn) {
    NodeAgent.Registration r = registration;
    boolean current;
    synchronized (this) {
      current = r.registered() && vn.nodeName().equals(appliedNodeName);
    }
    return current
        ? r
        : new NodeAgent.Registration(false, r.reason(), r.message(), r.appliedGeneration());
  }

  /**
   * Makes the Node stand as the spec says; returns it, or null when the name is taken. Throws the
   * API server's refusal of the Node (reported by the caller as NodeApplyFailed).
   */
  synchronized Node ensure(VirtualNode vn) {
    KubernetesClient client = ctx.client();
    String name = vn.nodeName();
    Node existing = client.nodes().withName(name).get();
    if (existing != null && !NodeFactory.belongsTo(existing, vn)) {
      String kept =
          appliedNodeName != null && !appliedNodeName.equals(name)
              ? "; Node " + appliedNodeName + " stays registered meanwhile"
              : "";
      failed(
          vn,
          "NodeNameConflict",
          "a Node named "
              + name
              + " exists and does not belong to this VirtualNode; choose another spec.nodeName"
              + kept);
      return null;
    }
    boolean specChanged = !Objects.equals(appliedGeneration, vn.getMetadata().getGeneration());
    if (existing != null && !specChanged && name.equals(appliedNodeName)) {
      nodeUid = existing.getMetadata().getUid();
      return existing;
    }
    Node desired = NodeFactory.desiredNode(vn);
    if (existing != null) {
      NodeFactory.keepSystemTaints(existing, desired);
    }
    Node applied =
        client
            .nodes()
            .resource(desired)
            .fieldManager(NodeAgent.FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
    String previousName = appliedNodeName;
    boolean firstTime = !name.equals(previousName);
    if (existing == null) {
      ctx.events()
          .normal(
              vn,
              firstTime ? "NodeRegistered" : "NodeReRegistered",
              firstTime
                  ? "Node " + name + " registered"
                  : "Node " + name + " was deleted and is registered again");
    } else if (!firstTime && appliedGeneration != null) {
      ctx.events().normal(vn, "NodeUpdated", "labels, taints and capacity applied to Node " + name);
    }
    appliedNodeName = name;
    appliedGeneration = vn.getMetadata().getGeneration();
    nodeUid = applied.getMetadata().getUid();
    if (previousName != null && !previousName.equals(name)) {
      // Renamed, and the new Node stands: the old one goes, so the scheduler stops using it.
      deleteNodeAndLeaseIfOurs(client, vn, previousName);
      retired.add(previousName);
      ctx.events().normal(vn, "NodeRenamed", "Node " + previousName + " replaced by " + name);
    }
    NodeAgent.Registration before = registration;
    registration =
        new NodeAgent.Registration(
            true,
            "Registered",
            "Node " + name + " is registered and its Lease renewed",
            appliedGeneration);
    if (!before.equals(registration)) {
      onStatusChange.run();
    }
    return applied;
  }

  void failed(VirtualNode vn, String reason, String message) {
    NodeAgent.Registration now =
        new NodeAgent.Registration(false, reason, message, registration.appliedGeneration());
    if (!now.equals(registration)) {
      registration = now;
      ctx.events().warning(vn, reason, message);
      onStatusChange.run();
    }
  }

  /** Deletes a Node and its Lease, unless the Node exists and is someone else's. */
  static void deleteNodeAndLeaseIfOurs(KubernetesClient client, VirtualNode vn, String name) {
    Node node = client.nodes().withName(name).get();
    if (node != null && !NodeFactory.belongsTo(node, vn)) {
      LOG.warn("Node {} belongs to someone else: left alone", name);
      return;
    }
    client.nodes().withName(name).delete();
    client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).withName(name).delete();
  }
}
