package io.github.acivirtualnode.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build script's go.mod generation against k8s.io/kubernetes's real go.mod (fetched by the go
 * command, one small file), and its retries, without compiling anything.
 */
class BuildScriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String script;
  private static String kubeVersion;

  @TempDir Path tmp;

  @BeforeAll
  static void readScript() throws IOException {
    try (InputStream in =
        ControlPlaneBinaries.class.getResourceAsStream("build-control-plane.sh")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher pin =
        Pattern.compile("KUBE_VERSION=\"\\$\\{KUBE_VERSION:-(v1\\.[0-9.]+)}\"").matcher(script);
    assertThat(pin.find()).as("the script pins a Kubernetes version").isTrue();
    kubeVersion = pin.group(1);
  }

  @Test
  void everyModuleKubernetesReplacesIsPinnedToItsPublishedStagingVersion() throws Exception {
    Path kubeGoMod =
        Path.of(
            run(
                    List.of(
                        "go", "list", "-m", "-f", "{{.GoMod}}", "k8s.io/kubernetes@" + kubeVersion),
                    Map.of())
                .stdout
                .strip());
    JsonNode kube = goModJson(kubeGoMod);
    List<String> replaced = new ArrayList<>();
    kube.path("Replace").forEach(r -> replaced.add(r.path("Old").path("Path").asText()));
    assertThat(replaced)
        .as("k8s.io/kubernetes replaces its staging modules")
        .hasSizeGreaterThan(20);

    Result result = runScript(List.of("gomod", tmp.resolve("kube").toString()), Map.of());
    assertThat(result.exit).as(result.stderr).isZero();
    JsonNode generated = goModJson(tmp.resolve("kube/go.mod"));

    String staging = "v0." + kubeVersion.substring("v1.".length());
    Map<String, JsonNode> pins = new HashMap<>();
    generated
        .path("Replace")
        .forEach(r -> pins.put(r.path("Old").path("Path").asText(), r.path("New")));
    assertThat(pins.keySet()).containsExactlyInAnyOrderElementsOf(replaced);
    for (String module : replaced) {
      assertThat(pins.get(module).path("Path").asText()).as(module).isEqualTo(module);
      assertThat(pins.get(module).path("Version").asText()).as(module).isEqualTo(staging);
    }
    assertThat(generated.path("Require").get(0).path("Path").asText())
        .isEqualTo("k8s.io/kubernetes");
    assertThat(generated.path("Require").get(0).path("Version").asText()).isEqualTo(kubeVersion);
    assertThat(generated.path("Go").asText()).isEqualTo(kube.path("Go").asText());
  }

  @Test
  void aNetworkErrorIsRetriedAndAnAnswerIsNot() throws Exception {
    // A go command that fails its first two `go list` calls like a dropped connection.
    Path counter = tmp.resolve("calls");
    Path fake = fakeGo(counter, "dial tcp 127.0.0.1:443: i/o timeout", 2);
    Result flaky = runScript(List.of("gomod", tmp.resolve("a").toString()), fakeEnv(fake));
    assertThat(flaky.exit).as(flaky.stderr).isZero();
    assertThat(flaky.stderr).contains("network error, retrying");
    assertThat(Files.readAllLines(counter)).hasSize(3);

    Files.delete(counter);
    Path refusing = fakeGo(counter, "reading k8s.io/kubernetes/@v/v1.35.4.mod: 404 Not Found", 5);
    Result refused = runScript(List.of("gomod", tmp.resolve("b").toString()), fakeEnv(refusing));
    assertThat(refused.exit).isNotZero();
    assertThat(refused.stderr).contains("404 Not Found").doesNotContain("retrying");
    assertThat(Files.readAllLines(counter)).hasSize(1);
  }

  private Map<String, String> fakeEnv(Path fakeDir) {
    return Map.of(
        "PATH", fakeDir + ":" + System.getenv("PATH"),
        "AVN_GO_RETRY_DELAY", "0",
        "AVN_GO_RETRIES", "4");
  }

  /**
   * A directory with a `go` that fails its first {@code failures} `list` calls with {@code error}.
   */
  private Path fakeGo(Path counter, String error, int failures) throws Exception {
    String realGo = run(List.of("bash", "-c", "command -v go"), Map.of()).stdout.strip();
    Path dir = Files.createTempDirectory(tmp, "fake-go");
    Path go = dir.resolve("go");
    Files.writeString(
        go,
        "#!/usr/bin/env bash\n"
            + "if [[ $1 == list ]]; then\n"
            + "  echo call >> '"
            + counter
            + "'\n"
            + "  if (( $(wc -l < '"
            + counter
            + "') <= "
            + failures
            + " )); then\n"
            + "    echo 'go: "
            + error
            + "' >&2; exit 1\n"
            + "  fi\n"
            + "fi\n"
            + "exec '"
            + realGo
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(go, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private JsonNode goModJson(Path goMod) throws Exception {
    Result result = run(List.of("go", "mod", "edit", "-json", goMod.toString()), Map.of());
    assertThat(result.exit).as(result.stderr).isZero();
    return JSON.readTree(result.stdout);
  }

  private Result runScript(List<String> args, Map<String, String> env) throws Exception {
    Path file = tmp.resolve("build-control-plane.sh");
    Files.writeString(file, script);
    List<String> command = new ArrayList<>(List.of("bash", file.toString()));
    command.addAll(args);
    return run(command, env);
  }

  private Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    // Small outputs: read stderr fully after stdout without risk of a full pipe.
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), stdout, stderr);
  }

  private record Result(int exit, String stdout, String stderr) {}
}
