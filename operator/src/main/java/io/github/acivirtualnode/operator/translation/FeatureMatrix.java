package io.github.acivirtualnode.operator.translation;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The README's feature matrix, made from {@link PodField}: one table row per decision. */
public final class FeatureMatrix {
  private FeatureMatrix() {}

  /** The matrix as a Markdown table, in the table's order. */
  public static String markdown() {
    String header = "| field | when | what happens | how, or why not |\n|---|---|---|---|\n";
    return header
        + Stream.of(PodField.values())
            .map(
                f ->
                    "| `"
                        + f.field()
                        + "` | "
                        + f.when()
                        + " | "
                        + f.treatment().label()
                        + (f.warning() ? " (Warning)" : "")
                        + " | "
                        + f.reason().replace("|", "\\|")
                        + " |")
            .collect(Collectors.joining("\n", "", "\n"));
  }
}
