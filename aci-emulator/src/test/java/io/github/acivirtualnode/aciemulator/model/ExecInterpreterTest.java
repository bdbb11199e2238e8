package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecInterpreterTest {
  private final ExecInterpreter shell =
      new ExecInterpreter(
          new ExecInterpreter.Context(
              Map.of("GREETING", "hello", "PATH", "/bin"),
              Map.of(
                  "/mnt/secrets/password",
                  "hunter2",
                  "/mnt/secrets/user",
                  "admin\n",
                  "/mnt/cache/",
                  ""),
              "group-1"));

  @Test
  void echoEnvAndHostname() {
    assertThat(shell.run(List.of("echo", "a", "b")).stdout()).isEqualTo("a b\n");
    assertThat(shell.run(List.of("env")).stdout()).isEqualTo("GREETING=hello\nPATH=/bin\n");
    assertThat(shell.run(List.of("printenv", "GREETING")).stdout()).isEqualTo("hello\n");
    assertThat(shell.run(List.of("hostname")).stdout()).isEqualTo("group-1\n");
  }

  @Test
  void catAndLsSeeMountedFiles() {
    assertThat(shell.run(List.of("cat", "/mnt/secrets/password")).stdout()).isEqualTo("hunter2");
    assertThat(shell.run(List.of("ls", "/mnt/secrets")).stdout()).isEqualTo("password\nuser\n");
    assertThat(shell.run(List.of("ls", "/mnt/cache")).stdout()).isEmpty();
    ExecInterpreter.Result missing = shell.run(List.of("cat", "/etc/shadow"));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).isEqualTo("cat: /etc/shadow: No such file or directory\n");
  }

  @Test
  void shellScriptsWithOperatorsAndVariables() {
    ExecInterpreter.Result result =
        shell.run(
            List.of(
                "/bin/sh", "-c", "echo $GREETING && false || echo recovered; exit 4; echo never"));
    assertThat(result.stdout()).isEqualTo("hello\nrecovered\n");
    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.exited()).isTrue();
  }

  @Test
  void unknownCommandsAreNotFound() {
    ExecInterpreter.Result direct = shell.run(List.of("rm", "-rf", "/"));
    assertThat(direct.exitCode()).isEqualTo(127);
    assertThat(direct.stderr()).isEqualTo("rm: not found\n");
    assertThat(shell.runScript("curl example.com").stderr()).isEqualTo("sh: 1: curl: not found\n");
  }

  @Test
  void tokenizeHonoursQuotes() {
    assertThat(ExecInterpreter.tokenize("sh -c 'echo a; echo \"b c\"'", false))
        .containsExactly("sh", "-c", "echo a; echo \"b c\"");
    assertThat(ExecInterpreter.tokenize("a;b&&c", true)).containsExactly("a", ";", "b", "&&", "c");
  }

  @Test
  void dollarQuestionMarkIsTheStatusOfTheStatementBefore() {
    assertThat(shell.runScript("false; echo $?").stdout()).isEqualTo("1\n");
    assertThat(shell.runScript("cat /nope; echo status $?; echo $?").stdout())
        .isEqualTo("status 1\n0\n");
  }

  @Test
  void onATerminalStdoutAndStderrComeInTheOrderTheyWereWritten() {
    ExecInterpreter.Result result = shell.runOnTerminal("echo before; cat /nope; echo after");

    assertThat(result.stdout()).isEqualTo("before\ncat: /nope: No such file or directory\nafter\n");
    assertThat(result.stderr()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }
}
