package io.github.acivirtualnode.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * helm, built from its Go module ({@code e2e/src/test/go/helm}, see {@link GoTool}), with its
 * cache, configuration and data in a directory of its own: the user's ~/.config/helm is never read
 * or written.
 */
final class Helm {
  private final Path binary;
  private final Map<String, String> env;

  Helm(Path repo, Path home) {
    this.binary = GoTool.binary(repo, "helm");
    try {
      for (String dir : List.of("cache", "config", "data")) {
        Files.createDirectories(home.resolve(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.env =
        Map.of(
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString(),
            "KUBECONFIG", home.resolve("no-kubeconfig").toString());
  }

  /** Runs helm, whatever its exit code. */
  GoTool.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    return GoTool.run(command, env);
  }
}
