package io.github.acivirtualnode.operator.config;

/**
 * A range of TCP ports, {@code first..last}, or any free port when both are 0.
 *
 * @param first the lowest port, or 0
 * @param last the highest port, or 0
 */
public record PortRange(int first, int last) {
  public static final PortRange ANY = new PortRange(0, 0);

  public PortRange {
    if (!(first == 0 && last == 0) && (first < 1 || last > 65535 || first > last)) {
      throw new IllegalArgumentException(
          "a port range is first-last with 1 <= first <= last <= 65535, or 0 for any free port;"
              + " got "
              + first
              + "-"
              + last);
    }
  }

  /** Parses {@code first-last}, one port, or {@code 0}. */
  public static PortRange parse(String setting, String value) {
    String v = value.trim();
    int dash = v.indexOf('-');
    try {
      if (dash < 0) {
        int p = Integer.parseInt(v);
        return p == 0 ? ANY : new PortRange(p, p);
      }
      return new PortRange(
          Integer.parseInt(v.substring(0, dash).trim()),
          Integer.parseInt(v.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting + " must be first-last (e.g. 10251-10500) or 0, not '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + e.getMessage());
    }
  }

  public boolean any() {
    return first == 0;
  }

  public boolean contains(int port) {
    return !any() && port >= first && port <= last;
  }

  @Override
  public String toString() {
    return any() ? "0" : first + "-" + last;
  }
}
