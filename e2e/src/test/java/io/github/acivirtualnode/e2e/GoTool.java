package io.github.acivirtualnode.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Go tools the tests run (helm, metrics-server, the OLM bundle validator, the Argo CD health
 * harness), each built from its module in {@code e2e/src/test/go/NAME} by {@code build-go-tool.sh}
 * on first use and cached under {@code ~/.cache/aci-virtual-node/NAME/}.
 */
final class GoTool {
  private static final Map<String, Path> BUILT = new HashMap<>();

  private GoTool() {}

  /** The tool's binary, built (progress on this JVM's stderr) or reused from the cache. */
  static synchronized Path binary(Path repo, String name) {
    Path known = BUILT.get(name);
    if (known != null) {
      return known;
    }
    Path script = repo.resolve("e2e/src/test/go/build-go-tool.sh");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), name)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(script + " " + name + " failed (its output is above)");
      }
      List<String> lines = out.strip().lines().toList();
      Path built = Path.of(lines.get(lines.size() - 1));
      if (!Files.isExecutable(built)) {
        throw new IllegalStateException(script + " printed " + built + ", not an executable");
      }
      BUILT.put(name, built);
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building " + name, e);
    }
  }

  /** What one run of a tool answered: its exit code, its stdout and its stderr, apart. */
  record Result(int exit, String out, String err) {
    /** For assertion messages. */
    String both() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** Runs a command with extra environment variables, whatever its exit code. */
  static Result run(List<String> command, Map<String, String> env) {
    try {
      Path err = Files.createTempFile("avn-go-tool", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Result(exit, out, Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
