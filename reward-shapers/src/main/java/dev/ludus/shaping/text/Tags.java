package dev.ludus.shaping.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * XML-like markup tags in agent messages ({@code <think>}, {@code <answer>}, {@code <tool_call>}). Only the
 * named tags are seen, written exactly {@code <name>} and {@code </name>}; anything else is text. Stateless.
 */
final class Tags {
  private Tags() {}

  /** One opening or closing tag, at {@code [start, end)} of the text. */
  record Event(String name, boolean open, int start, int end) {}

  /** A top-level block {@code <name>body</name>}; {@code start, end} span the tags too. */
  record Block(String name, String body, int start, int end) {}

  /**
   * The opening and closing tags of {@code names} in order of appearance. A hand-written scan (every
   * {@code '<'}, then the names tried in turn), not a regular expression: shapers call it on every turn of
   * every episode, and this is several times faster than a compiled alternation.
   */
  static List<Event> events(String text, Collection<String> names) {
    List<Event> out = new ArrayList<>();
    int lt = text.indexOf('<');
    if (lt < 0 || names.isEmpty()) {
      return out;
    }
    for (int i = lt; i >= 0; i = text.indexOf('<', i + 1)) {
      boolean close = i + 1 < text.length() && text.charAt(i + 1) == '/';
      int at = close ? i + 2 : i + 1;
      for (String name : names) {
        if (name == null || name.isEmpty()) {
          continue;
        }
        int end = at + name.length();
        if (end < text.length() && text.charAt(end) == '>' && text.startsWith(name, at)) {
          out.add(new Event(name, !close, i, end + 1));
          break;
        }
      }
    }
    return out;
  }

  /** Whether the tags of {@code names} are balanced and properly nested (each closes the last one opened). */
  static boolean balanced(String text, Collection<String> names) {
    Deque<String> open = new ArrayDeque<>();
    for (Event e : events(text, names)) {
      if (e.open()) {
        open.push(e.name());
      } else if (open.isEmpty() || !open.pop().equals(e.name())) {
        return false;
      }
    }
    return open.isEmpty();
  }

  /**
   * The text as a flat sequence of blocks of {@code names}, or null when it is not one: every tag must be
   * closed by the very next tag of {@code names}, with no other of them inside.
   */
  static List<Block> flatBlocks(String text, Collection<String> names) {
    List<Event> ev = events(text, names);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < ev.size(); i += 2) {
      Event o = ev.get(i);
      if (!o.open() || i + 1 >= ev.size()) {
        return null;
      }
      Event c = ev.get(i + 1);
      if (c.open() || !c.name().equals(o.name())) {
        return null;
      }
      out.add(new Block(o.name(), text.substring(o.end(), c.start()), o.start(), c.end()));
    }
    return out;
  }

  /** The bodies of all {@code <name>…</name>} blocks, matching each opening tag with the next closing one. */
  static List<String> bodies(String text, String name) {
    List<String> out = new ArrayList<>();
    String open = "<" + name + ">";
    String close = "</" + name + ">";
    int from = 0;
    while (true) {
      int s = text.indexOf(open, from);
      if (s < 0) {
        return out;
      }
      int e = text.indexOf(close, s + open.length());
      if (e < 0) {
        return out;
      }
      out.add(text.substring(s + open.length(), e));
      from = e + close.length();
    }
  }

  /** Whether the text between, before and after the blocks is only whitespace. */
  static boolean onlyBlocks(String text, List<Block> blocks) {
    int at = 0;
    for (Block b : blocks) {
      if (!text.substring(at, b.start()).isBlank()) {
        return false;
      }
      at = b.end();
    }
    return text.substring(at).isBlank();
  }
}
