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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deal or No Deal (Lewis et al. 2017) in miniature. The items and each seat's private values come from the task
 * ({@link Deal#generate} from its seed, or a context loaded by {@link LewisData}); who speaks first comes from the
 * match seed. The seats take turns writing messages, which the other seat sees as {@code Partner: ...}; an unreadable
 * message is not sent, the writer is told why and writes again (it counts towards {@code maxTalk}).
 * {@code <selection>}, or {@code maxTalk} messages, ends the talk; then both seats choose at once (a simultaneous
 * round) what they take, and each scores Σ count·value of its choice if the two choices add up to all the items, else
 * 0. Not thread-safe.
 */
final class DealOrNoDealEnvironment implements MultiAgentEnvironment {
  static final List<String> SEATS = List.of("alice", "bob");
  static final int MAX_CHARS = 1_000;

  private final DealOrNoDealConfig config;
  private Deal deal;
  private int talk;
  private boolean choosing;

  DealOrNoDealEnvironment(DealOrNoDealConfig config) {
    this.config = config;
  }

  @Override
  public MatchStart reset(Task task, long seed) {
    deal = LewisData.of(task);
    talk = 0;
    choosing = false;
    int first = new SplittableRandom(seed).nextInt(2);
    Map<String, SeatStart> seats = new LinkedHashMap<>();
    for (int s = 0; s < 2; s++) {
      String values = deal.values(s).values();
      seats.put(SEATS.get(s), new SeatStart(DealText.opening(deal, s, s == first), List.of(),
          Map.of("values", values), Signals.of(DealSignals.VALUES, values)));
    }
    return MatchStart.turn(seats, SEATS.get(first));
  }

  @Override
  public MatchStep step(Map<String, Message> moves) {
    return choosing ? choose(moves) : talk(moves);
  }

  private MatchStep talk(Map<String, Message> moves) {
    String mover = moves.keySet().iterator().next();
    String other = SEATS.get(1 - SEATS.indexOf(mover));
    Message m = moves.get(mover);
    talk++;
    Optional<String> invalid = invalidTalk(m);
    boolean limit = talk >= config.maxTalk();
    if (invalid.isPresent()) {
      Signals flagged = Signals.of(StandardSignals.INVALID_ACTION, invalid.get());
      if (!limit) {
        return MatchStep.turn(Map.of(mover, SeatStep.of(Message.user(DealText.notSent(invalid.get())), flagged)), mover);
      }
      return startChoosing(Map.of(mover, new SeatStep(List.of(Message.user(DealText.notSent(invalid.get())),
          Message.user(DealText.CHOOSE)), 0, flagged), other, SeatStep.of(Message.user(DealText.CHOOSE), null)));
    }
    Message relayed = Message.user(DealText.PARTNER + m.content().strip());
    if (limit || m.content().contains(DealText.SELECTION)) {
      return startChoosing(Map.of(mover, SeatStep.of(Message.user(DealText.CHOOSE), null),
          other, new SeatStep(List.of(relayed, Message.user(DealText.CHOOSE)), 0, Signals.empty())));
    }
    return MatchStep.turn(Map.of(other, SeatStep.of(relayed, null)), other);
  }

  private MatchStep startChoosing(Map<String, SeatStep> seats) {
    choosing = true;
    return new MatchStep(seats, Set.copyOf(SEATS), false, false);
  }

  /** Why a talk message cannot be sent, if it cannot. */
  private Optional<String> invalidTalk(Message m) {
    String text = m.content();
    if (!m.toolCalls().isEmpty()) {
      return Optional.of("there are no tools here; write a message");
    }
    if (text.isBlank()) {
      return Optional.of("the message is empty");
    }
    if (text.length() > MAX_CHARS) {
      return Optional.of("the message has " + text.length() + " characters; at most " + MAX_CHARS + " are allowed");
    }
    if (text.toLowerCase(java.util.Locale.ROOT).contains("<choose>")) {
      return Optional.of("<choose> comes after <selection> ends the talk");
    }
    Optional<String> offer = DealText.proposal(text);
    if (offer.isPresent()) {
      Optional<Split> split = Split.parse(offer.get());
      if (split.isEmpty()) {
        return Optional.of("the proposal '" + offer.get().strip() + "' names no items; write book=B hat=H ball=L");
      }
      if (!split.get().fitsIn(deal.counts())) {
        return Optional.of("the proposal " + split.get().counts() + " asks for more than there is ("
            + deal.counts().counts() + ")");
      }
    }
    return Optional.empty();
  }

  private MatchStep choose(Map<String, Message> moves) {
    Split[] chosen = new Split[2];
    String[] invalid = new String[2];
    for (int s = 0; s < 2; s++) {
      Message m = moves.get(SEATS.get(s));
      Optional<Split> c = m.toolCalls().isEmpty() && m.content().length() <= MAX_CHARS
          ? Split.parse(DealText.choice(m.content())) : Optional.empty();
      if (c.isEmpty()) {
        invalid[s] = "the choice names no items; write <choose>book=B hat=H ball=L</choose>";
      } else if (!c.get().fitsIn(deal.counts())) {
        invalid[s] = "the choice " + c.get().counts() + " asks for more than there is (" + deal.counts().counts() + ")";
      } else {
        chosen[s] = c.get();
      }
    }
    boolean agreed = chosen[0] != null && chosen[1] != null
        && chosen[0].book() + chosen[1].book() == deal.counts().book()
        && chosen[0].hat() + chosen[1].hat() == deal.counts().hat()
        && chosen[0].ball() + chosen[1].ball() == deal.counts().ball();
    int[] score = new int[2];
    for (int s = 0; s < 2 && agreed; s++) {
      score[s] = chosen[s].valueAt(deal.values(s));
    }
    Map<String, SeatStep> out = new LinkedHashMap<>();
    for (int s = 0; s < 2; s++) {
      Signals.Builder signals = Signals.builder().put(StandardSignals.SUCCESS, agreed).put(DealSignals.AGREEMENT, agreed)
          .put(DealSignals.SCORE, score[s]).put(DealSignals.JOINT_SCORE, score[0] + score[1]);
      if (invalid[s] != null) {
        signals.put(StandardSignals.INVALID_ACTION, invalid[s]);
      }
      String mine = chosen[s] == null ? "nothing readable" : chosen[s].counts();
      String theirs = chosen[1 - s] == null ? "nothing readable" : chosen[1 - s].counts();
      String verdict = agreed
          ? "Deal. You took " + mine + ", worth " + score[s] + " to you; your partner took " + theirs + "."
          : "No deal: " + (invalid[s] != null ? invalid[s] + ". " : "") + "The choices (you: " + mine + "; your "
              + "partner: " + theirs + ") do not add up to the items (" + deal.counts().counts() + "). You score 0.";
      out.put(SEATS.get(s), new SeatStep(List.of(Message.user(verdict)), score[s], signals.build()));
    }
    return MatchStep.end(out);
  }
}
