package dev.ludus.shaping.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * XML-like markup tags in agent messages ({@code <think>}, {@code <answer>}, {@code <tool_call>}). Only the
 * named tags are seen, written exactly {@code <name>} and {@code </name>}; anything else is text. Stateless.
 */
final class Tags {
  private Tags() {}

  /** Compiled tag patterns by tag names: shapers ask for the same few sets on every turn. */
  private static final java.util.concurrent.ConcurrentHashMap<List<String>, Pattern> PATTERNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** One opening or closing tag, at {@code [start, end)} of the text. */
  record Event(String name, boolean open, int start, int end) {}

  /** A top-level block {@code <name>body</name>}; {@code start, end} span the tags too. */
  record Block(String name, String body, int start, int end) {}

  /** The opening and closing tags of {@code names} in order of appearance. */
  static List<Event> events(String text, Collection<String> names) {
    List<Event> out = new ArrayList<>();
    List<String> nonEmpty = names.stream().filter(n -> n != null && !n.isEmpty()).distinct().toList();
    if (nonEmpty.isEmpty()) {
      return out;
    }
    if (text.indexOf('<') < 0) {
      return out;
    }
    Pattern p = PATTERNS.computeIfAbsent(nonEmpty, n -> Pattern.compile(
        "<(/?)(" + n.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")>"));
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(new Event(m.group(2), m.group(1).isEmpty(), m.start(), m.end()));
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
