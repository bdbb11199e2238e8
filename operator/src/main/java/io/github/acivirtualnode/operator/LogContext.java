package io.github.acivirtualnode.operator;

import org.slf4j.MDC;

/**
 * The virtual node and the pod that a log line is about, in slf4j's MDC: logback.xml prints them
 * ({@code node=... pod=namespace/name}, or the {@code mdc} object in JSON). Contexts nest: when a
 * body ends, what was there before is restored, so a shared thread keeps no stale context.
 */
public final class LogContext {
  public static final String NODE = "node";
  public static final String POD = "pod";

  private LogContext() {}

  /** Runs the body with its lines about this virtual node. */
  public static void inNode(String nodeName, Runnable body) {
    with(NODE, nodeName, body);
  }

  /** Runs the body with its lines about this pod. */
  public static void inPod(String namespace, String name, Runnable body) {
    with(POD, namespace + "/" + name, body);
  }

  private static void with(String key, String value, Runnable body) {
    String previous = MDC.get(key);
    MDC.put(key, value);
    try {
      body.run();
    } finally {
      if (previous == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, previous);
      }
    }
  }
}
