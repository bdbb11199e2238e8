package io.github.acivirtualnode.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** kubectl, as a user runs it against one kubeconfig: the demo's and the end-to-end test's. */
public final class Kubectl {
  private final Path binary;
  private final Path kubeconfig;

  public Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  public Path binary() {
    return binary;
  }

  /** What one kubectl command answered: its exit code and its output (stdout and stderr). */
  public record Result(int exit, String output) {}

  /** Runs kubectl, whatever its exit code. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    }
  }

  /** Runs kubectl and returns its output; a non-zero exit is an error carrying the output. */
  public String ok(String... args) {
    Result result = run(args);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "kubectl "
              + String.join(" ", args)
              + " exited with "
              + result.exit()
              + ": "
              + result.output());
    }
    return result.output();
  }
}
