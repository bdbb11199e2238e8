package io.github.acivirtualnode.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the code's: the variables {@link OperatorConfig} reads (every
 * one, no other), the defaults it applies and the ranges it accepts, so the table cannot drift.
 */
class OperatorConfigTableTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
  private static final Pattern LITERAL = Pattern.compile("`([^`]+)`");
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");
  private static final OperatorConfig DEFAULTS = OperatorConfig.fromEnvironment(Map.of());

  /** One row: the variables (a later one read only when the earlier is unset), default, range. */
  record Row(List<String> variables, String defaultValue, String range) {}

  private static List<Row> table;

  @BeforeAll
  static void readTheReadme() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md"));
    int start = readme.indexOf("\n## Configuration\n");
    assertThat(start).as("README.md has a Configuration section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    table = new ArrayList<>();
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> variables = new ArrayList<>();
      Matcher m = VARIABLE.matcher(cells[1]);
      while (m.find()) {
        variables.add(m.group(1));
      }
      table.add(new Row(variables, cells[2].strip(), cells[3].strip()));
    }
  }

  @Test
  void theTableListsExactlyTheVariablesTheCodeReads() {
    Set<String> read = new TreeSet<>();
    Map<String, String> recording =
        new AbstractMap<>() {
          @Override
          public String get(Object key) {
            read.add((String) key);
            return null;
          }

          @Override
          public Set<Entry<String, String>> entrySet() {
            return Set.of();
          }
        };
    OperatorConfig.fromEnvironment(recording);
    List<String> documented = table.stream().flatMap(r -> r.variables().stream()).toList();
    assertThat(read).isNotEmpty();
    assertThat(documented).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(read);
  }

  @Test
  void noVariableIsReadOutsideOperatorConfig() throws IOException {
    // An AVN_ name as a string literal anywhere else in the operator would be a setting the table
    // (and OperatorConfig) does not know.
    Pattern literal = Pattern.compile("\"(AVN_[A-Z0-9_]+)\"");
    Set<String> named = new TreeSet<>();
    try (Stream<Path> files = Files.walk(REPO.resolve("operator/src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          named.add(m.group(1));
        }
      }
    }
    assertThat(named)
        .isNotEmpty()
        .isSubsetOf(table.stream().flatMap(r -> r.variables().stream()).toList());
  }

  @Test
  void eachDocumentedDefaultIsTheCodesDefault() {
    int literals = 0;
    for (Row row : table) {
      Matcher m = LITERAL.matcher(row.defaultValue());
      if (!m.matches()) {
        assertThat(row.defaultValue())
            .as("%s: a literal or none", row.variables())
            .isEqualTo("none");
        continue;
      }
      literals++;
      for (String variable : row.variables()) {
        assertThat(OperatorConfig.fromEnvironment(Map.of(variable, m.group(1))))
            .as("%s=%s is the default", variable, m.group(1))
            .isEqualTo(DEFAULTS);
      }
    }
    assertThat(literals).isPositive();
  }

  @Test
  void eachDocumentedRangeIsTheCodesRange() {
    int ranges = 0;
    for (Row row : table) {
      Matcher m = RANGE.matcher(row.range());
      if (!m.matches()) {
        assertThat(row.range()).as("%s: a range or -", row.variables()).isEqualTo("-");
        continue;
      }
      ranges++;
      long min = Long.parseLong(m.group(1));
      long max = Long.parseLong(m.group(2));
      for (String variable : row.variables()) {
        for (long ok : new long[] {min, max}) {
          assertThatCode(() -> OperatorConfig.fromEnvironment(Map.of(variable, Long.toString(ok))))
              .as("%s=%d is accepted", variable, ok)
              .doesNotThrowAnyException();
        }
        for (long bad : new long[] {min - 1, max + 1}) {
          assertThatThrownBy(
                  () -> OperatorConfig.fromEnvironment(Map.of(variable, Long.toString(bad))))
              .as("%s=%d is refused", variable, bad)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining(variable);
        }
      }
    }
    assertThat(ranges).isPositive();
  }

  @Test
  void aLaterVariableOfARowIsReadOnlyWhenTheEarlierIsUnset() {
    int fallbacks = 0;
    for (Row row : table) {
      if (row.variables().size() < 2) {
        continue;
      }
      fallbacks++;
      String first = row.variables().get(0);
      String second = row.variables().get(1);
      OperatorConfig onlySecond = OperatorConfig.fromEnvironment(Map.of(second, "from-second"));
      assertThat(onlySecond).as("%s is read", second).isNotEqualTo(DEFAULTS);
      assertThat(OperatorConfig.fromEnvironment(Map.of(first, "from-first", second, "from-second")))
          .as("%s wins over %s", first, second)
          .isEqualTo(OperatorConfig.fromEnvironment(Map.of(first, "from-first")))
          .isNotEqualTo(onlySecond);
    }
    assertThat(fallbacks).isPositive();
  }
}
