package io.github.acivirtualnode.operator.translation;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion, exactly as the kubelet does it for env values, command and
 * args: {@code $(NAME)} is replaced by the variable's value; {@code $$} is an escaped {@code $}; a
 * reference to an unknown variable, an unclosed {@code $(} and a {@code $} before any other
 * character are left as they are.
 */
final class VarExpansion {
  private VarExpansion() {}

  /**
   * Expands {@code input}.
   *
   * @param lookup a variable's value, or null when it is not defined
   */
  static String expand(String input, Function<String, String> lookup) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
        out.append(input, checkpoint, cursor);
        char next = input.charAt(cursor + 1);
        int advance;
        if (next == '$') {
          out.append('$');
          advance = 1;
        } else if (next == '(') {
          int close = input.indexOf(')', cursor + 2);
          if (close < 0) {
            out.append("$(");
            advance = 1;
          } else {
            String name = input.substring(cursor + 2, close);
            String value = lookup.apply(name);
            out.append(value != null ? value : "$(" + name + ")");
            advance = close - cursor;
          }
        } else {
          out.append('$').append(next);
          advance = 1;
        }
        cursor += advance;
        checkpoint = cursor + 1;
      }
    }
    out.append(input, checkpoint, input.length());
    return out.toString();
  }

  /** The names {@code input} refers to with {@code $(NAME)} that expansion would replace. */
  static java.util.List<String> references(String input) {
    java.util.List<String> names = new java.util.ArrayList<>();
    expand(
        input,
        name -> {
          names.add(name);
          return null;
        });
    return names;
  }
}
