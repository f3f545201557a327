package dev.ludus.environments.social;

import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.SeatStart;
import dev.ludus.api.SeatStep;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.environments.social.TradingText.Move;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * TextArena's SimpleNegotiation in miniature. Each seat holds the five resources and values them privately
 * ({@link Market}); a random seat moves first (from the match seed), then they alternate. A move is talk with at most
 * an offer and an answer ({@link TradingText#read}); the other seat sees it as {@code Partner: ...} with the game's
 * note on what it did. One offer is on the table at a time, made to the other seat: it {@code [Accept]}s it (the
 * goods change hands if both still hold them) or denies it, explicitly or by any other move. An unreadable move (or
 * an answer with no offer to answer, or an offer of goods the writer lacks) is not sent; its writer is told why and
 * moves again, and the refused move counts as a turn. After {@code maxTurns} turns each seat's gain is its inventory's
 * value at its own values minus the value it started with: the larger gain wins (+1), the smaller loses (−1), equal
 * gains draw (0). Not thread-safe.
 */
final class TradingEnvironment implements MultiAgentEnvironment {
  static final List<String> SEATS = List.of("alice", "bob");
  static final int MAX_CHARS = 2_000;

  private final TradingConfig config;
  private Market market;
  private final Goods[] inventory = new Goods[2];
  private int turn;
  private int trades;
  /** The offer on the table: made by {@code offerer}, who gives {@code give} and asks for {@code get}. */
  private int offerer = -1;
  private Goods give;
  private Goods get;

  TradingEnvironment(TradingConfig config) {
    this.config = config;
  }

  @Override
  public MatchStart reset(Task task, long seed) {
    market = Market.generate(task.seed());
    inventory[0] = market.inventories()[0];
    inventory[1] = market.inventories()[1];
    turn = 0;
    trades = 0;
    offerer = -1;
    int first = new SplittableRandom(seed).nextInt(2);
    Map<String, SeatStart> seats = new LinkedHashMap<>();
    for (int s = 0; s < 2; s++) {
      String values = Market.valuesText(market.values()[s]);
      seats.put(SEATS.get(s), new SeatStart(TradingText.opening(inventory[s], market.values()[s], config.maxTurns(),
          s == first), List.of(), Map.of("values", values), Signals.of(TradingSignals.VALUES, values)));
    }
    return MatchStart.turn(seats, SEATS.get(first));
  }

  @Override
  public MatchStep step(Map<String, Message> moves) {
    String moverName = moves.keySet().iterator().next();
    int mover = SEATS.indexOf(moverName);
    int other = 1 - mover;
    Message m = moves.get(moverName);
    turn++;
    boolean last = turn >= config.maxTurns();
    List<Message> toMover = new ArrayList<>();
    List<Message> toOther = new ArrayList<>();
    String invalid = invalid(m, mover);
    Signals.Builder moverSignals = Signals.builder();
    Signals.Builder otherSignals = Signals.builder();
    if (invalid != null) {
      moverSignals.put(StandardSignals.INVALID_ACTION, invalid);
      toMover.add(Message.user(TradingText.NOT_SENT + invalid + ". Write a message; you may make one offer "
          + "[Offer: what you give -> what you ask for] or answer the offer made to you with [Accept] or [Deny]."));
      if (!last) {
        return MatchStep.turn(Map.of(moverName, new SeatStep(toMover, 0, moverSignals.build())), moverName);
      }
    } else {
      Move move = TradingText.read(m.content());
      toOther.add(Message.user(TradingText.PARTNER + m.content().strip()));
      if (offerer == other) {
        if (move.accept()) {
          boolean done = inventory[offerer].covers(give) && inventory[mover].covers(get);
          if (done) {
            inventory[offerer] = inventory[offerer].minus(give).plus(get);
            inventory[mover] = inventory[mover].plus(give).minus(get);
            trades++;
            toMover.add(Message.user(TradingText.GAME + "Trade done: you got " + give.text() + " and gave "
                + get.text() + ". " + TradingText.holding(inventory[mover])));
            toOther.add(Message.user(TradingText.GAME + "Your partner accepted: you gave " + give.text() + " and got "
                + get.text() + ". " + TradingText.holding(inventory[other])));
            moverSignals.put(TradingSignals.INVENTORY_GAIN, gain(mover));
            otherSignals.put(TradingSignals.INVENTORY_GAIN, gain(other));
          } else {
            String note = TradingText.GAME + "The trade failed: one of you no longer holds the goods.";
            toMover.add(Message.user(note));
            toOther.add(Message.user(note));
          }
        } else {
          toOther.add(Message.user(TradingText.GAME + "Your partner denied your offer."));
        }
        offerer = -1;
      }
      if (move.offer().isPresent()) {
        offerer = mover;
        give = move.offer().get()[0];
        get = move.offer().get()[1];
        toOther.add(Message.user(TradingText.pending(give, get)));
      }
    }
    if (!last) {
      Map<String, SeatStep> out = new LinkedHashMap<>();
      out.put(SEATS.get(other), new SeatStep(toOther, 0, otherSignals.build()));
      if (!toMover.isEmpty() || !moverSignals.build().isEmpty()) {
        out.put(moverName, new SeatStep(toMover, 0, moverSignals.build()));
      }
      return MatchStep.turn(out, SEATS.get(other));
    }
    return end(mover, toMover, toOther, moverSignals, otherSignals);
  }

  private MatchStep end(int mover, List<Message> toMover, List<Message> toOther, Signals.Builder moverSignals,
      Signals.Builder otherSignals) {
    int[] gains = {gain(0), gain(1)};
    Map<String, SeatStep> out = new LinkedHashMap<>();
    for (int s = 0; s < 2; s++) {
      int cmp = Integer.compare(gains[s], gains[1 - s]);
      String outcome = cmp > 0 ? "win" : cmp < 0 ? "loss" : "draw";
      List<Message> messages = new ArrayList<>(s == mover ? toMover : toOther);
      messages.add(Message.user(TradingText.GAME + "The game is over after " + turn + " turns and " + trades
          + " trades. Your inventory's value changed by " + gains[s] + " at your values; your partner's changed "
          + (cmp > 0 ? "less" : cmp < 0 ? "more" : "as much") + " at theirs. You " + (cmp > 0 ? "win." : cmp < 0
          ? "lose." : "draw.")));
      Signals signals = (s == mover ? moverSignals : otherSignals).put(StandardSignals.SUCCESS, cmp > 0)
          .put(TradingSignals.OUTCOME, outcome).put(TradingSignals.INVENTORY_GAIN, gains[s])
          .put(TradingSignals.TRADES, trades).build();
      out.put(SEATS.get(s), new SeatStep(messages, cmp, signals));
    }
    return MatchStep.end(out);
  }

  private int gain(int seat) {
    Goods values = market.values()[seat];
    return inventory[seat].valueAt(values) - market.inventories()[seat].valueAt(values);
  }

  /** Why {@code m} cannot be sent by {@code mover}, or null. */
  private String invalid(Message m, int mover) {
    String text = m.content();
    if (!m.toolCalls().isEmpty()) {
      return "there are no tools here; write a message";
    }
    if (text.isBlank()) {
      return "the message is empty";
    }
    if (text.length() > MAX_CHARS) {
      return "the message has " + text.length() + " characters; at most " + MAX_CHARS + " are allowed";
    }
    Move move = TradingText.read(text);
    if (move.error().isPresent()) {
      return move.error().get();
    }
    if ((move.accept() || move.deny()) && offerer != 1 - mover) {
      return "there is no offer to you on the table to " + (move.accept() ? "accept" : "deny");
    }
    if (move.offer().isPresent() && !inventory[mover].covers(move.offer().get()[0])) {
      return "you offer " + move.offer().get()[0].text() + " but hold " + inventory[mover].text();
    }
    return null;
  }
}
