package dev.ludus.environments.social;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of {@code deal-or-no-deal}: what the game shows a seat, and how its scripted agents read their own
 * seat's conversation back (they see nothing else). Stateless.
 */
final class DealText {
  private DealText() {}

  static final String RULES = "You and a partner divide some books, hats and balls. Each of you values the items "
      + "privately. Write one message per turn: talk, or propose a split with <propose>book=B hat=H ball=L</propose>, "
      + "naming what you take (your partner gets the rest). Write <selection> to end the talk. Then each of you "
      + "writes <choose>book=B hat=H ball=L</choose>, what you take. If your two choices add up to exactly all the "
      + "items, each of you scores the value of what you took; otherwise both score 0.";
  static final String PARTNER = "Partner: ";
  static final String CHOOSE = "The talk is over. Write <choose>book=B hat=H ball=L</choose>: the items you take.";
  static final String NOT_SENT = "Not sent: ";
  static final String SELECTION = "<selection>";

  private static final Pattern OPENING = Pattern.compile("Items: ([^.]*)\\. Your values: ([^(]*) \\(");
  private static final Pattern PROPOSE = Pattern.compile("(?is)<propose>(.*?)</propose>");
  private static final Pattern CHOOSE_TAG = Pattern.compile("(?is)<choose>(.*?)</choose>");

  /** A seat's opening: the rules, then the items, its values and who speaks first. */
  static List<Message> opening(Deal deal, int seat, boolean speaksFirst) {
    return List.of(Message.system(RULES), Message.user("Items: " + deal.counts().counts() + ". Your values: "
        + deal.values(seat).values() + " (" + Deal.TOTAL_VALUE + " in all). "
        + (speaksFirst ? "You speak first." : "Your partner speaks first.")));
  }

  static String notSent(String reason) {
    return NOT_SENT + reason + ". Write a message to your partner, <propose>book=B hat=H ball=L</propose> (what you "
        + "take), or <selection> to end the talk.";
  }

  /** The content of the last {@code <propose>} tag of {@code text}, if any. */
  static Optional<String> proposal(String text) {
    return last(PROPOSE, text);
  }

  /** What a choice message names: the last {@code <choose>} tag's content, else the whole text. */
  static String choice(String text) {
    return last(CHOOSE_TAG, text).orElse(text);
  }

  private static Optional<String> last(Pattern p, String text) {
    Matcher m = p.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return Optional.ofNullable(last);
  }

  /** The offer last put on the table in a seat's conversation, from that seat's point of view. */
  record Offer(boolean mine, Split taken) {
    /** What this seat gets if the offer is taken. */
    Split forMe(Split counts) {
      return mine ? taken : taken.restOf(counts);
    }
  }

  /**
   * What a seat knows, read from its own conversation.
   *
   * @param counts the items on the table
   * @param values the seat's own values
   * @param choosing whether the talk is over and the seat must choose
   * @param offer the last offer on the table, if any
   * @param talked how many messages the seat has written
   */
  record Reading(Split counts, Split values, boolean choosing, Optional<Offer> offer, int talked) {}

  /** Reads a seat's conversation; empty when its opening is not the game's. */
  static Optional<Reading> read(List<Message> conversation) {
    Split counts = null;
    Split values = null;
    Offer offer = null;
    int talked = 0;
    for (int i = 0; i < conversation.size(); i++) {
      Message m = conversation.get(i);
      String text = m.content();
      if (counts == null && m.role() == Role.USER) {
        Matcher o = OPENING.matcher(text);
        if (o.find()) {
          counts = Split.parse(o.group(1)).orElse(null);
          values = Split.parse(o.group(2)).orElse(null);
        }
      } else if (m.role() == Role.ASSISTANT) {
        talked++;
        boolean refused = i + 1 < conversation.size() && conversation.get(i + 1).content().startsWith(NOT_SENT);
        Optional<Split> p = proposal(text).flatMap(Split::parse);
        if (!refused && p.isPresent()) {
          offer = new Offer(true, p.get());
        }
      } else if (m.role() == Role.USER && text.startsWith(PARTNER)) {
        Optional<Split> p = proposal(text).flatMap(Split::parse);
        if (p.isPresent()) {
          offer = new Offer(false, p.get());
        }
      }
    }
    if (counts == null || values == null) {
      return Optional.empty();
    }
    boolean choosing = !conversation.isEmpty() && conversation.get(conversation.size() - 1).content().contains(CHOOSE);
    return Optional.of(new Reading(counts, values, choosing, Optional.ofNullable(offer), talked));
  }
}
