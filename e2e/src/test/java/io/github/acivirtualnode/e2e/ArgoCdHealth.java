package io.github.acivirtualnode.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Argo CD's health assessment of objects, run with gopher-lua (Argo CD's Lua runtime) by the
 * harness in {@code e2e/src/test/go/argocd-health}, built from Go modules on first use and cached
 * under {@code ~/.cache/aci-virtual-node/argocd-health/} ({@link GoTool}).
 */
final class ArgoCdHealth {
  /** What Argo CD would show: a health status and its message, or the script's error. */
  record Health(String status, String message, String error) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ArgoCdHealth() {}

  /** The health of each object (Kubernetes objects as JSON-shaped maps) under {@code script}. */
  static List<Health> assess(Path repo, Path script, List<?> objects) {
    try {
      Process p =
          new ProcessBuilder(GoTool.binary(repo, "argocd-health").toString(), script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (OutputStream in = p.getOutputStream()) {
        JSON.writeValue(in, objects);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("argocd-health failed: " + out);
      }
      List<Map<String, String>> results = JSON.readValue(out, new TypeReference<>() {});
      return results.stream()
          .map(r -> new Health(r.get("status"), r.get("message"), r.get("error")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running argocd-health", e);
    }
  }
}
