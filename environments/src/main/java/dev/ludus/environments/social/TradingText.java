package dev.ludus.environments.social;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of {@code trading}: what the game shows a seat, how a move is read, and how the scripted agents read
 * their own seat's conversation back (they see nothing else). Stateless.
 *
 * <p>A move is free text with at most one of each action tag, anywhere in it (TextArena's SimpleNegotiation):
 * {@code [Offer: 3 Sheep, 2 Ore -> 5 Brick]} (what the writer gives, then what it asks for; {@code I give} may open
 * it), {@code [Accept]} or {@code [Deny]} (answering the offer made to the writer). Tags are case-insensitive. What it
 * does not understand: amounts in words ("three sheep"), resources outside the five, offers spread over messages.
 */
final class TradingText {
  private TradingText() {}

  static final String RULES = "You are trading with a partner. Each of you has Wheat, Wood, Sheep, Brick and Ore, and "
      + "values each resource privately. Write one message per turn: talk, and if you like make one offer with "
      + "[Offer: 3 Sheep, 2 Ore -> 5 Brick] (what you give -> what you ask for), or answer the offer made to you with "
      + "[Accept] or [Deny] (an offer not accepted is denied). A new offer replaces the one on the table. The game "
      + "ends after a fixed number of turns; the one whose inventory gained more value, at their own values, wins.";
  static final String PARTNER = "Partner: ";
  static final String GAME = "[GAME] ";
  static final String NOT_SENT = "Not sent: ";

  private static final Pattern OFFER = Pattern.compile("(?is)\\[\\s*offer\\s*:?\\s*(?:i\\s+(?:give|offer)\\s+)?"
      + "([^\\[\\]]*?)\\s*->\\s*([^\\[\\]]*?)\\s*\\.?\\s*\\]");
  private static final Pattern OFFER_TAG = Pattern.compile("(?i)\\[\\s*offer\\b");
  private static final Pattern ACCEPT = Pattern.compile("(?i)\\[\\s*accept\\s*\\]");
  private static final Pattern DENY = Pattern.compile("(?i)\\[\\s*deny\\s*\\]");
  private static final Pattern INVENTORY =
      Pattern.compile("Your inventory: ([^.]*)\\. Your values per unit: ([^.]*)\\.");
  private static final Pattern HOLDING = Pattern.compile("You now hold: ([^.]*)\\.");
  private static final Pattern PENDING = Pattern.compile("\\[GAME\\] Your partner offers you (.*) for (.*)\\. Answer "
      + "with \\[Accept\\] or \\[Deny\\]\\.");

  /**
   * A move as read.
   *
   * @param accept whether it accepts the offer made to the writer
   * @param deny whether it denies it
   * @param offer the offer it makes, if any: what the writer gives and what it asks for
   * @param error why it cannot be read, if it cannot
   */
  record Move(boolean accept, boolean deny, Optional<Goods[]> offer, Optional<String> error) {}

  static Move read(String text) {
    boolean accept = ACCEPT.matcher(text).find();
    boolean deny = DENY.matcher(text).find();
    if (accept && deny) {
      return error("the message both accepts and denies; write one of [Accept] or [Deny]");
    }
    Matcher m = OFFER.matcher(text);
    int offers = 0;
    while (m.find()) {
      offers++;
    }
    if (offers > 1) {
      return error("the message makes more than one offer; make one");
    }
    if (offers == 0) {
      if (OFFER_TAG.matcher(text).find()) {
        return error("the offer cannot be read; write [Offer: 3 Sheep, 2 Ore -> 5 Brick] (what you give -> what you "
            + "ask for) with the resources Wheat, Wood, Sheep, Brick, Ore");
      }
      return new Move(accept, deny, Optional.empty(), Optional.empty());
    }
    m = OFFER.matcher(text);
    m.find();
    Optional<Goods> give = Goods.parse(m.group(1));
    Optional<Goods> get = Goods.parse(m.group(2));
    if (give.isEmpty() || get.isEmpty()) {
      return error("the offer '" + abbreviate(m.group()) + "' cannot be read; each side lists amounts of Wheat, Wood, "
          + "Sheep, Brick or Ore, like [Offer: 3 Sheep, 2 Ore -> 5 Brick]");
    }
    return new Move(accept, deny, Optional.of(new Goods[] {give.get(), get.get()}), Optional.empty());
  }

  private static Move error(String reason) {
    return new Move(false, false, Optional.empty(), Optional.of(reason));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  static List<Message> opening(Goods inventory, Goods values, int maxTurns, boolean first) {
    return List.of(Message.system(RULES), Message.user("Your inventory: " + inventory.text() + ". Your values per "
        + "unit: " + Market.valuesText(values) + ". Its value: " + inventory.valueAt(values) + ". The game lasts "
        + maxTurns + " turns in all. " + (first ? "You move first." : "Your partner moves first.")));
  }

  static String pending(Goods give, Goods get) {
    return GAME + "Your partner offers you " + give.text() + " for " + get.text() + ". Answer with [Accept] or [Deny].";
  }

  static String holding(Goods inventory) {
    return "You now hold: " + inventory.text() + ".";
  }

  /**
   * What a seat knows, read from its own conversation.
   *
   * @param inventory what it holds now
   * @param values its values per unit
   * @param pending the offer made to it, if one is on the table: what it would get, and what it would give
   * @param turn its messages so far
   */
  record Reading(Goods inventory, Goods values, Optional<Goods[]> pending, int turn) {}

  static Optional<Reading> readConversation(List<Message> conversation) {
    Goods inventory = null;
    Goods values = null;
    Goods[] pending = null;
    int turn = 0;
    for (Message m : conversation) {
      String text = m.content();
      if (m.role() == Role.ASSISTANT) {
        turn++;
        pending = null; // answered, or denied by default
        continue;
      }
      if (m.role() != Role.USER) {
        continue;
      }
      Matcher inv = INVENTORY.matcher(text);
      if (inventory == null && inv.find()) {
        inventory = Goods.parse(inv.group(1)).orElse(Goods.none());
        values = parseValues(inv.group(2));
      }
      Matcher h = HOLDING.matcher(text);
      while (h.find()) {
        inventory = h.group(1).equals("nothing") ? Goods.none() : Goods.parse(h.group(1)).orElse(inventory);
      }
      Matcher p = PENDING.matcher(text);
      if (p.find()) {
        pending = new Goods[] {Goods.parse(p.group(1)).orElse(Goods.none()),
            Goods.parse(p.group(2)).orElse(Goods.none())};
      }
    }
    if (inventory == null || values == null) {
      return Optional.empty();
    }
    return Optional.of(new Reading(inventory, values, Optional.ofNullable(pending), turn));
  }

  static Goods parseValues(String text) {
    int[] out = new int[Goods.NAMES.size()];
    Matcher m = Pattern.compile("(\\w+):(\\d+)").matcher(text);
    while (m.find()) {
      int i = Goods.NAMES.indexOf(m.group(1));
      if (i >= 0) {
        out[i] = Integer.parseInt(m.group(2));
      }
    }
    return Goods.of(out);
  }
}
