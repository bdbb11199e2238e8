package io.github.acivirtualnode.operator.kubelet;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a request to the kubelet API asks for, parsed from its path, and the authorization a kubelet
 * asks for it: verb from the HTTP method, resource {@code nodes}, subresource {@code stats}, {@code
 * metrics}, {@code log} or, for everything else, {@code proxy}. Pure.
 *
 * @param namespace the pod's namespace, or null for a node-level endpoint
 * @param pod the pod's name, or null
 * @param container the container's name, or null
 */
public record KubeletRequest(Endpoint endpoint, String namespace, String pod, String container) {

  public enum Endpoint {
    CONTAINER_LOGS,
    EXEC,
    ATTACH,
    PORT_FORWARD,
    HEALTHZ,
    /** Node-level: answered for the node whose port the request came in on. */
    STATS_SUMMARY,
    METRICS_RESOURCE,
    PODS,
    RUNNING_PODS,
    /** Known to kubelets and not served by this operator: other stats and metrics, run, spec. */
    NOT_SERVED
  }

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern UID = Pattern.compile("[-a-fA-F0-9]{1,64}");

  /**
   * @throws IllegalArgumentException with a message for the client when the path names no endpoint
   *     of a kubelet or its names are not valid Kubernetes names (no traversal, no encoded
   *     separators get through)
   */
  public static KubeletRequest parse(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /");
    }
    List<String> parts = List.of(path.substring(1).split("/", -1));
    if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
      parts = parts.subList(0, parts.size() - 1); // one trailing slash
    }
    String first = parts.get(0);
    return switch (first) {
      case "containerLogs" -> {
        expect(parts, 4, "/containerLogs/{namespace}/{pod}/{container}");
        yield podRequest(Endpoint.CONTAINER_LOGS, parts.get(1), parts.get(2), parts.get(3));
      }
      case "exec", "attach" -> {
        // /exec/{namespace}/{pod}/{container} or /exec/{namespace}/{pod}/{uid}/{container}
        if (parts.size() == 5) {
          uid(parts.get(3));
        } else {
          expect(parts, 4, "/" + first + "/{namespace}/{pod}[/{uid}]/{container}");
        }
        yield podRequest(
            first.equals("exec") ? Endpoint.EXEC : Endpoint.ATTACH,
            parts.get(1),
            parts.get(2),
            parts.get(parts.size() - 1));
      }
      case "portForward" -> {
        if (parts.size() == 4) {
          uid(parts.get(3));
        } else {
          expect(parts, 3, "/portForward/{namespace}/{pod}[/{uid}]");
        }
        yield podRequest(Endpoint.PORT_FORWARD, parts.get(1), parts.get(2), null);
      }
      case "healthz" -> new KubeletRequest(Endpoint.HEALTHZ, null, null, null);
      case "pods" -> nodeRequest(parts, 1, Endpoint.PODS);
      case "runningpods" -> nodeRequest(parts, 1, Endpoint.RUNNING_PODS);
      case "stats" ->
          parts.size() == 2 && parts.get(1).equals("summary")
              ? new KubeletRequest(Endpoint.STATS_SUMMARY, null, null, null)
              : new KubeletRequest(Endpoint.NOT_SERVED, null, null, null);
      case "metrics" ->
          parts.size() == 2 && parts.get(1).equals("resource")
              ? new KubeletRequest(Endpoint.METRICS_RESOURCE, null, null, null)
              : new KubeletRequest(Endpoint.NOT_SERVED, null, null, null);
      case "logs", "run", "spec", "configz" ->
          new KubeletRequest(Endpoint.NOT_SERVED, null, null, null);
      default -> throw new IllegalArgumentException("no such kubelet endpoint: " + path);
    };
  }

  /** A node-level endpoint of exactly {@code size} segments; more is not a kubelet path. */
  private static KubeletRequest nodeRequest(List<String> parts, int size, Endpoint endpoint) {
    return parts.size() == size
        ? new KubeletRequest(endpoint, null, null, null)
        : new KubeletRequest(Endpoint.NOT_SERVED, null, null, null);
  }

  /** Whether the endpoint is about the node rather than one of its pods. */
  public boolean nodeLevel() {
    return switch (endpoint) {
      case STATS_SUMMARY, METRICS_RESOURCE, PODS, RUNNING_PODS -> true;
      default -> false;
    };
  }

  /** The kubelet's verb for an HTTP method. */
  public static String verb(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "get";
    };
  }

  /** The kubelet's subresource of nodes for a path. */
  public static String subresource(String path) {
    if (isUnder(path, "/stats")) {
      return "stats";
    }
    if (isUnder(path, "/metrics")) {
      return "metrics";
    }
    if (isUnder(path, "/logs")) {
      return "log";
    }
    return "proxy";
  }

  private static boolean isUnder(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static KubeletRequest podRequest(
      Endpoint endpoint, String namespace, String pod, String container) {
    check(namespace, LABEL, 63, "namespace");
    check(pod, SUBDOMAIN, 253, "pod name");
    if (container != null) {
      check(container, LABEL, 63, "container name");
    }
    return new KubeletRequest(endpoint, namespace, pod, container);
  }

  private static void check(String value, Pattern pattern, int max, String what) {
    if (value.length() > max || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + abbreviate(value) + "': not a valid Kubernetes name");
    }
  }

  private static void uid(String value) {
    if (!UID.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid pod UID '" + abbreviate(value) + "'");
    }
  }

  private static void expect(List<String> parts, int size, String form) {
    if (parts.size() != size) {
      throw new IllegalArgumentException("expected " + form);
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "...";
  }
}
