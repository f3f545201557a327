package dev.ludus.simulators.intent;

import dev.ludus.simulators.intent.IntentSpec.Attribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the intent user understands. Stateless and thread-safe.
 *
 * <ul>
 *   <li>A final specification: {@code <intent>attr=value; attr=value</intent>} anywhere in the message (pairs split by
 *       {@code ;}, {@code ,} or new lines; {@code =} or {@code :} between name and value). It ends the conversation.
 *   <li>Otherwise a question about one attribute, named by its name or an alias, or implied by a value that belongs to
 *       one attribute only; words are matched whole and case-insensitively:
 *       <ul>
 *         <li>one value ("is it paris?", "is the budget low?"): a yes/no question;
 *         <li>two values and the word "or" ("is the month april or july?"): a choice;
 *         <li>no value ("what is the budget?", "budget?"): an open question.
 *       </ul>
 * </ul>
 *
 * Anything else is {@link Unclear} with the reason: no attribute or value recognised (other languages, instructions
 * to the user), two attributes at once, a value of several attributes without the attribute, three or more values,
 * two values without "or".
 */
public final class IntentGrammar {
  private static final Pattern FINAL = Pattern.compile("(?is)<intent>(.*?)</intent>");

  private IntentGrammar() {}

  /** A parsed message. */
  public sealed interface Utterance permits Is, Which, Either, Final, Unclear {}

  /** "Is the {@code attribute} {@code value}?" */
  public record Is(int attribute, String value) implements Utterance {}

  /** "What is the {@code attribute}?" */
  public record Which(int attribute) implements Utterance {}

  /** "Is the {@code attribute} {@code first} or {@code second}?" */
  public record Either(int attribute, String first, String second) implements Utterance {}

  /**
   * The final specification.
   *
   * @param values attribute index to the value given (only attributes and values of the specification)
   * @param problems pairs that named no attribute or no value of it, as written
   */
  public record Final(Map<Integer, String> values, List<String> problems) implements Utterance {}

  /** Not understood, and why. */
  public record Unclear(String reason) implements Utterance {}

  /** Reads {@code text} against {@code spec}. Never fails; null is read as empty. */
  public static Utterance parse(IntentSpec spec, String text) {
    String raw = text == null ? "" : text;
    Matcher m = FINAL.matcher(raw);
    if (m.find()) {
      return readFinal(spec, m.group(1));
    }
    String t = " " + IntentSpec.norm(raw.length() > 4000 ? raw.substring(0, 4000) : raw) + " ";
    if (t.isBlank()) {
      return new Unclear("The message is empty.");
    }
    Set<Integer> named = new LinkedHashSet<>();
    for (int i = 0; i < spec.size(); i++) {
      for (String w : spec.attributes().get(i).words()) {
        if (t.contains(" " + w + " ")) {
          named.add(i);
        }
      }
    }
    if (named.size() > 1) {
      return new Unclear("Ask about one thing at a time (you asked about " + names(spec, named) + ").");
    }
    List<int[]> found = new ArrayList<>();
    List<String> foundValues = new ArrayList<>();
    for (int i = 0; i < spec.size(); i++) {
      if (!named.isEmpty() && !named.contains(i)) {
        continue;
      }
      for (String v : spec.attributes().get(i).values()) {
        int at = t.indexOf(" " + v + " ");
        if (at >= 0) {
          found.add(new int[] {i, at});
          foundValues.add(v);
        }
      }
    }
    Set<Integer> attrs = found.stream().map(f -> f[0]).collect(Collectors.toCollection(LinkedHashSet::new));
    if (attrs.size() > 1) {
      return new Unclear("Those values belong to different things (" + names(spec, attrs)
          + "); ask about one at a time and name it.");
    }
    if (found.size() > 2) {
      return new Unclear("Offer at most two options at a time.");
    }
    if (found.size() == 2) {
      if (!t.contains(" or ")) {
        return new Unclear("To offer two options, ask \"is it X or Y?\".");
      }
      boolean inOrder = found.get(0)[1] <= found.get(1)[1];
      return new Either(found.get(0)[0], foundValues.get(inOrder ? 0 : 1), foundValues.get(inOrder ? 1 : 0));
    }
    if (found.size() == 1) {
      return new Is(found.get(0)[0], foundValues.get(0));
    }
    if (named.size() == 1) {
      return new Which(named.iterator().next());
    }
    return new Unclear("I can't tell what you are asking about.");
  }

  private static Final readFinal(IntentSpec spec, String body) {
    Map<Integer, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String pair : body.split("[;,\\n]")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=') >= 0 ? pair.indexOf('=') : pair.indexOf(':');
      if (eq < 0) {
        problems.add(pair.trim());
        continue;
      }
      var idx = spec.index(pair.substring(0, eq));
      String v = IntentSpec.norm(pair.substring(eq + 1));
      if (idx.isEmpty() || !spec.attributes().get(idx.get()).values().contains(v) || values.containsKey(idx.get())) {
        problems.add(pair.trim());
      } else {
        values.put(idx.get(), v);
      }
    }
    return new Final(values, problems);
  }

  private static String names(IntentSpec spec, Set<Integer> idx) {
    return idx.stream().map(i -> spec.attributes().get(i).name()).collect(Collectors.joining(", "));
  }

  /** The grammar described for a system prompt, with the specification's attributes and values. */
  public static String help(IntentSpec spec) {
    StringBuilder b = new StringBuilder("The attributes and their possible values:\n");
    for (Attribute a : spec.attributes()) {
      b.append("- ").append(a.name()).append(": ").append(String.join(", ", a.values())).append('\n');
    }
    b.append("Ask about one attribute per message: \"What is the <attribute>?\", \"Is the <attribute> <value>?\" or"
        + " \"Is the <attribute> <value> or <value>?\". The user may not be sure of some attributes. When you know"
        + " enough, give the final specification, which ends the conversation: <intent>");
    b.append(spec.attributes().stream().map(a -> a.name() + "=<value>").collect(Collectors.joining("; ")));
    return b.append("</intent>").toString();
  }
}
