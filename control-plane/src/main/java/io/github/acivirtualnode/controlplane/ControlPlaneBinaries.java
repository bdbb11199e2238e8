package io.github.acivirtualnode.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the control-plane binaries: a directory given through {@code AVN_KUBE_BIN_DIR}, or the
 * build cached under the user's cache directory, built from the Go module proxy on first use by
 * {@code build-control-plane.sh} (shipped as a resource so that every module can run it).
 */
public final class ControlPlaneBinaries {
  public static final List<String> NAMES =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl");
  private static final String SCRIPT = "build-control-plane.sh";

  private static Path located;

  private ControlPlaneBinaries() {}

  /** The directory holding all of {@link #NAMES}, building it first when it is not cached. */
  public static synchronized Path directory() {
    if (located == null) {
      located = buildOrReuse();
    }
    return located;
  }

  public static Path binary(String name) {
    return directory().resolve(name);
  }

  private static Path buildOrReuse() {
    try {
      Path script = Files.createTempFile("avn-build-control-plane", ".sh");
      try (InputStream in = ControlPlaneBinaries.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is missing from the classpath");
        }
        Files.write(script, in.readAllBytes());
      }
      Process process =
          new ProcessBuilder("bash", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      Files.deleteIfExists(script);
      if (exit != 0) {
        throw new IllegalStateException(
            SCRIPT + " failed with exit code " + exit + " (its output is above)");
      }
      List<String> lines = output.strip().lines().toList();
      Path dir = Path.of(lines.get(lines.size() - 1));
      for (String name : NAMES) {
        if (!Files.isExecutable(dir.resolve(name))) {
          throw new IllegalStateException(dir + " has no executable " + name);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the control plane", e);
    }
  }
}
