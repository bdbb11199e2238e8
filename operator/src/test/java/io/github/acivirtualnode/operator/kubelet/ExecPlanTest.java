package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecPlanTest {

  @Test
  void aBareProgramIsWhatAciRunsWithoutAShell() {
    for (String program : List.of("sh", "ls", "/bin/bash", "/app/my-tool_2.1", "a+b@c:d%e,f=g")) {
      ExecPlan plan = ExecPlan.of(List.of(program), false, false, "id");

      assertThat(plan.direct()).as(program).isTrue();
      assertThat(plan.program()).isEqualTo(program);
      assertThat(plan.line()).isNull();
    }
  }

  @Test
  void anInteractiveTerminalRunsTheProgramItself() {
    ExecPlan plan = ExecPlan.of(List.of("sh"), true, true, "id");

    assertThat(plan.direct()).isTrue();
    assertThat(plan.program()).isEqualTo("sh");
  }

  @Test
  void argumentsGoThroughTheShellLineExactlyQuoted() {
    ExecPlan plan = ExecPlan.of(List.of("echo", "a  b"), false, false, "id");

    assertThat(plan.direct()).isFalse();
    assertThat(plan.program()).isEqualTo("/bin/sh");
    assertThat(plan.line()).isEqualTo(ShellLine.of(List.of("echo", "a  b"), false, "id"));
  }

  @Test
  void oneArgumentWithSpacesQuotesOrMetacharactersGoesThroughTheShell() {
    for (String odd : List.of("echo hi", "it's", "\"x\"", "a;b", "$HOME", "a|b", "*", "~", "")) {
      ExecPlan plan = ExecPlan.of(List.of(odd), true, false, "id");

      assertThat(plan.direct()).as(odd).isFalse();
      assertThat(plan.line().text()).as(odd).contains(ShellLine.quote(odd));
    }
  }

  @Test
  void stdinWithoutATerminalGoesThroughTheShellWhichTurnsTheEchoOff() {
    ExecPlan plan = ExecPlan.of(List.of("cat"), false, true, "id");

    assertThat(plan.direct()).isFalse();
    assertThat(plan.line().text()).contains("stty -echo");
  }

  @Test
  void noCommandAndControlCharactersAreRefusedAsBefore() {
    assertThatThrownBy(() -> ExecPlan.of(List.of(), false, false, "id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one command");
    assertThatThrownBy(() -> ExecPlan.of(List.of("a\tb"), false, false, "id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }
}
