package io.github.acivirtualnode.aciemulator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs exec commands against an emulated container. It never touches the host: it interprets a
 * small set of shell built-ins over the container's environment and its mounted volume files.
 * Anything else answers "not found" as a shell would.
 */
public final class ExecInterpreter {

  /** What a command sees: its environment, files by absolute path, and the hostname. */
  public record Context(Map<String, String> env, Map<String, String> files, String hostname) {}

  /** Output and exit code; {@code exited} is true after an explicit {@code exit}. */
  public record Result(String stdout, String stderr, int exitCode, boolean exited) {}

  private final Context context;

  public ExecInterpreter(Context context) {
    this.context = context;
  }

  /** Runs an argument vector (as exec receives it after splitting). */
  public Result run(List<String> argv) {
    if (argv.isEmpty()) {
      return new Result("", "", 0, false);
    }
    String program = baseName(argv.get(0));
    if (isShell(program) && argv.size() >= 3 && argv.get(1).equals("-c")) {
      return runScript(argv.get(2));
    }
    return builtin(argv, true);
  }

  /** Runs a line of shell script: statements separated by ';', '&&' or '||'. */
  public Result runScript(String script) {
    return runScript(script, null);
  }

  /**
   * Runs a line of shell script as typed on a terminal: stdout and stderr share the terminal, so
   * the result's stdout holds both, in the order the statements wrote them (stderr is empty).
   */
  public Result runOnTerminal(String script) {
    StringBuilder terminal = new StringBuilder();
    Result result = runScript(script, terminal);
    return new Result(terminal.toString(), "", result.exitCode(), result.exited());
  }

  private Result runScript(String script, StringBuilder terminal) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    int code = 0;
    List<String> tokens = tokenize(script, true);
    List<String> statement = new ArrayList<>();
    String pendingOperator = ";";
    for (int i = 0; i <= tokens.size(); i++) {
      String token = i < tokens.size() ? tokens.get(i) : ";";
      if (token.equals(";") || token.equals("&&") || token.equals("||")) {
        boolean runIt =
            pendingOperator.equals(";")
                || (pendingOperator.equals("&&") && code == 0)
                || (pendingOperator.equals("||") && code != 0);
        if (runIt && !statement.isEmpty()) {
          Result result = builtin(expand(statement, code), false);
          out.append(result.stdout());
          err.append(result.stderr());
          if (terminal != null) {
            terminal.append(result.stdout()).append(result.stderr());
          }
          code = result.exitCode();
          if (result.exited()) {
            return new Result(out.toString(), err.toString(), code, true);
          }
        }
        statement = new ArrayList<>();
        pendingOperator = token;
      } else {
        statement.add(token);
      }
    }
    return new Result(out.toString(), err.toString(), code, false);
  }

  private Result builtin(List<String> argv, boolean direct) {
    String program = baseName(argv.get(0));
    List<String> args = argv.subList(1, argv.size());
    switch (program) {
      case "echo":
        {
          boolean newline = true;
          List<String> words = args;
          if (!words.isEmpty() && words.get(0).equals("-n")) {
            newline = false;
            words = words.subList(1, words.size());
          }
          return ok(String.join(" ", words) + (newline ? "\n" : ""));
        }
      case "true":
      case "sleep":
        return ok("");
      case "false":
        return new Result("", "", 1, false);
      case "exit":
        return new Result("", "", args.isEmpty() ? 0 : parseInt(args.get(0)), true);
      case "hostname":
        return ok(context.hostname() + "\n");
      case "pwd":
        return ok("/\n");
      case "env":
      case "printenv":
        {
          if (!args.isEmpty()) {
            String value = context.env().get(args.get(0));
            return value == null ? new Result("", "", 1, false) : ok(value + "\n");
          }
          StringBuilder out = new StringBuilder();
          new TreeMap<>(context.env())
              .forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
          return ok(out.toString());
        }
      case "cat":
        {
          StringBuilder out = new StringBuilder();
          StringBuilder err = new StringBuilder();
          int code = 0;
          for (String path : args) {
            String content = context.files().get(path);
            if (content != null) {
              out.append(content);
            } else if (isDirectory(path)) {
              err.append("cat: ").append(path).append(": Is a directory\n");
              code = 1;
            } else {
              err.append("cat: ").append(path).append(": No such file or directory\n");
              code = 1;
            }
          }
          return new Result(out.toString(), err.toString(), code, false);
        }
      case "ls":
        {
          String dir = args.isEmpty() ? "/" : args.get(args.size() - 1);
          if (context.files().containsKey(dir)) {
            return ok(dir + "\n");
          }
          if (!isDirectory(dir)) {
            return new Result(
                "", "ls: cannot access '" + dir + "': No such file or directory\n", 2, false);
          }
          String prefix = dir.endsWith("/") ? dir : dir + "/";
          TreeSet<String> names = new TreeSet<>();
          for (String path : context.files().keySet()) {
            if (path.startsWith(prefix)) {
              String rest = path.substring(prefix.length());
              int slash = rest.indexOf('/');
              String name = slash < 0 ? rest : rest.substring(0, slash);
              if (!name.isEmpty()) {
                names.add(name);
              }
            }
          }
          StringBuilder out = new StringBuilder();
          names.forEach(n -> out.append(n).append('\n'));
          return ok(out.toString());
        }
      default:
        if (isShell(program) && args.isEmpty()) {
          return ok("");
        }
        String message =
            direct ? argv.get(0) + ": not found\n" : "sh: 1: " + argv.get(0) + ": not found\n";
        return new Result("", message, 127, false);
    }
  }

  /** Directories are the parents of the files plus anything ending in '/'. */
  private boolean isDirectory(String path) {
    if (path.equals("/")) {
      return true;
    }
    String prefix = path.endsWith("/") ? path : path + "/";
    return context.files().keySet().stream().anyMatch(p -> p.startsWith(prefix));
  }

  /** Expands $NAME, ${NAME} and $? (the status of the statement before). */
  private List<String> expand(List<String> words, int lastStatus) {
    List<String> out = new ArrayList<>();
    for (String word : words) {
      if (word.equals("$?")) {
        out.add(Integer.toString(lastStatus));
      } else if (word.startsWith("$") && word.length() > 1) {
        String name = word.substring(1).replace("{", "").replace("}", "");
        out.add(context.env().getOrDefault(name, ""));
      } else {
        out.add(word);
      }
    }
    return out;
  }

  private static Result ok(String stdout) {
    return new Result(stdout, "", 0, false);
  }

  private static int parseInt(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 2;
    }
  }

  /** Programs the interpreter knows, as found in an image's PATH. */
  private static final java.util.Set<String> PROGRAMS =
      java.util.Set.of(
          "echo",
          "true",
          "false",
          "sleep",
          "hostname",
          "pwd",
          "env",
          "printenv",
          "cat",
          "ls",
          "sh",
          "bash",
          "ash");

  private static final java.util.Set<String> PATH_DIRECTORIES =
      java.util.Set.of(
          "/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");

  /**
   * Whether ACI's exec could launch {@code path}: it is one executable, a name found in PATH or an
   * absolute path in one of its directories, never a command line with arguments.
   */
  public static boolean isExecutable(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    if (!PROGRAMS.contains(name)) {
      return false;
    }
    return slash < 0 || PATH_DIRECTORIES.contains(path.substring(0, slash));
  }

  /** Whether the program is a shell (interactive when launched without arguments). */
  public static boolean isShellProgram(String path) {
    return isShell(baseName(path));
  }

  private static boolean isShell(String program) {
    return program.equals("sh") || program.equals("bash") || program.equals("ash");
  }

  private static String baseName(String program) {
    int slash = program.lastIndexOf('/');
    return slash < 0 ? program : program.substring(slash + 1);
  }

  /**
   * Splits a command line like a POSIX shell does for simple cases: whitespace separates words,
   * single and double quotes group them; with {@code operators}, ';', '&&' and '||' are own tokens.
   */
  public static List<String> tokenize(String line, boolean operators) {
    List<String> tokens = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          tokens.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (operators
          && (c == ';'
              || ((c == '&' || c == '|') && i + 1 < line.length() && line.charAt(i + 1) == c))) {
        if (inWord) {
          tokens.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (c == ';') {
          tokens.add(";");
        } else {
          tokens.add("" + c + c);
          i++;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      tokens.add(word.toString());
    }
    return tokens;
  }
}
