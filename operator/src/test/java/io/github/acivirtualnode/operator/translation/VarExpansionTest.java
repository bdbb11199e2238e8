package io.github.acivirtualnode.operator.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from the kubelet's own expansion tests (third_party/forked/golang/expansion). */
class VarExpansionTest {
  private static final Map<String, String> VARS =
      Map.of("VAR_A", "A", "VAR_B", "B", "VAR_C", "C", "VAR_REF", "$(VAR_A)", "VAR_EMPTY", "");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "$(VAR_A)|A",
        "___$(VAR_B)___|___B___",
        "___$(VAR_C)|___C",
        "$(VAR_A)-$(VAR_A)|A-A",
        "$(VAR_A)-1|A-1",
        "$(VAR_A)_$(VAR_B)_$(VAR_C)|A_B_C",
        "f000-$$VAR_A|f000-$VAR_A",
        "foo\\$(VAR_C)bar|foo\\Cbar",
        "foo\\\\$(VAR_C)bar|foo\\\\Cbar",
        "$$(VAR_A)|$(VAR_A)",
        "$$$$(VAR_A)|$$(VAR_A)",
        "$$$(VAR_A)|$A",
        "$(VAR_DNE)|$(VAR_DNE)",
        "$(VAR_EMPTY)x|x",
        "$(|$(",
        "$(VAR_A|$(VAR_A",
        "$VAR_A|$VAR_A",
        "$|$",
        "foo$|foo$",
        "$()|$()",
        "$(VAR_REF)|$(VAR_A)",
        "$(VAR_A)$(VAR_B)|AB",
        "f00-$(VAR_A)$|f00-A$",
      })
  void expandsLikeTheKubelet(String input, String expected) {
    assertThat(VarExpansion.expand(input, VARS::get)).isEqualTo(expected);
  }

  @Test
  void nothingToExpandIsReturnedAsIs() {
    assertThat(VarExpansion.expand("plain", VARS::get)).isEqualTo("plain");
    assertThat(VarExpansion.expand(null, VARS::get)).isNull();
    assertThat(VarExpansion.expand("", VARS::get)).isEmpty();
  }

  @Test
  void referencesAreTheNamesExpansionLooksUp() {
    assertThat(VarExpansion.references("$(A) $$(B) $(C")).containsExactly("A");
  }
}
