package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted agents of {@code sotopia}, writing Sotopia's JSON actions. Each is stateless and thread-safe and reads
 * its name, its goal (a reservation: "at least N" or "at most N") and the partner's structured actions from its own
 * seat's conversation; the oracle, which is privileged, takes its goal from the seat's private view.
 *
 * <ul>
 *   <li>{@code negotiator} (and the oracle): greets politely, then alternates a proposal and a question; its
 *       proposals concede from its reservation plus a quarter of it, to half that, to the reservation; accepts the
 *       partner's proposal once it meets its reservation, leaves after an agreement or once it has nothing left to
 *       concede. It never mentions its secret.
 *   <li>{@code hardliner}: repeats one proposal (its reservation plus a quarter) and accepts only a proposal at least
 *       as good; never leaves;
 *   <li>random: any of the five action types with a random argument.
 * </ul>
 */
final class SotopiaAgents {
  private SotopiaAgents() {}

  private static final Pattern YOU_ARE = Pattern.compile("\\nYou are ([^\\n]+?)\\. ");
  private static final Pattern RESERVATION = Pattern.compile("(?i)at (least|most) (\\d+)");
  private static final Pattern PARTNER_PROPOSES = Pattern.compile("\\[action\\] propose\\D{0,40}?(\\d{1,6})");
  private static final List<String> QUESTIONS = List.of("What would work for you?",
      "Where could you meet me on this?", "Is there any flexibility on your side?");
  private static final List<String> CHATTER = List.of("Hello there.", "What do you think?", "I am not sure.",
      "That sounds interesting.", "Can we talk about this later?", "Why?");

  /**
   * What a seat knows.
   *
   * @param reservation its reservation value
   * @param sign +1 when it wants at least the reservation, −1 when at most
   * @param turns its own actions so far
   * @param proposals its own proposals so far
   * @param lastWasProposal whether its last action was a proposal
   * @param partnerOffer the partner's proposal on the table, if any
   * @param agreed whether a proposal was accepted
   */
  record Reading(int reservation, int sign, int turns, int proposals, boolean lastWasProposal,
      Optional<Integer> partnerOffer, boolean agreed) {
    boolean good(int value, int margin) {
      return sign * (value - reservation) >= margin;
    }

    int margin() {
      return Math.max(1, Math.round(Math.abs(reservation) * 0.25f));
    }
  }

  static Optional<Reading> read(List<Message> conversation, String goalOverride) {
    String name = null;
    String goal = goalOverride;
    int turns = 0;
    int proposals = 0;
    boolean lastWasProposal = false;
    Integer pendingMine = null;
    Integer partnerOffer = null;
    boolean agreed = false;
    for (Message m : conversation) {
      String text = m.content();
      if (m.role() == Role.ASSISTANT) {
        Optional<SotopiaAction> a = SotopiaAction.parse(text).action();
        turns++;
        lastWasProposal = a.flatMap(SotopiaAction::proposal).isPresent();
        if (a.isPresent() && a.get().accepts() && partnerOffer != null) {
          agreed = true;
        }
        if (lastWasProposal) {
          proposals++;
          pendingMine = a.get().proposal().get();
          partnerOffer = null;
        }
        continue;
      }
      if (m.role() != Role.USER) {
        continue;
      }
      if (name == null) {
        Matcher you = YOU_ARE.matcher(text);
        if (you.find()) {
          name = you.group(1);
          if (goal == null) {
            int at = text.indexOf("\n" + name + "'s goal: ");
            goal = at < 0 ? null : text.substring(at + name.length() + 9).split("\n")[0];
          }
          continue;
        }
      }
      if (name != null && !text.startsWith(name) && !text.startsWith(SotopiaText.NOT_UNDERSTOOD)) {
        Matcher p = PARTNER_PROPOSES.matcher(text);
        if (p.find()) {
          partnerOffer = Integer.parseInt(p.group(1));
          pendingMine = null;
        } else if (text.contains("[action] accept") && pendingMine != null) {
          agreed = true;
        }
      }
    }
    if (goal == null) {
      return Optional.empty();
    }
    Matcher r = RESERVATION.matcher(goal);
    if (!r.find()) {
      return Optional.empty();
    }
    return Optional.of(new Reading(Integer.parseInt(r.group(2)), r.group(1).equalsIgnoreCase("least") ? 1 : -1,
        turns, proposals, lastWasProposal, Optional.ofNullable(partnerOffer), agreed));
  }

  static String json(String type, String argument) {
    return "{\"action_type\": \"" + type + "\", \"argument\": \"" + argument + "\"}";
  }

  static String negotiate(Reading r) {
    if (r.agreed()) {
      return json("leave", "Thank you, it was a pleasure.");
    }
    if (r.partnerOffer().isPresent() && r.good(r.partnerOffer().get(), 0)) {
      return json("action", "accept");
    }
    if (r.turns() == 0) {
      return json("speak", "Hello, nice to meet you. Thanks for making time for this.");
    }
    List<Integer> steps = new ArrayList<>();
    for (int concession : new int[] {r.margin(), r.margin() / 2, 0}) {
      int v = r.reservation() + r.sign() * concession;
      if (!steps.contains(v)) {
        steps.add(v);
      }
    }
    if (r.lastWasProposal()) {
      return json("speak", QUESTIONS.get((r.proposals() - 1) % QUESTIONS.size()));
    }
    if (r.proposals() < steps.size()) {
      return json("action", "propose " + steps.get(r.proposals()));
    }
    return json("leave", "I am sorry we could not agree. Thank you for your time.");
  }

  static Agent negotiator() {
    return request -> answer(request, null, SotopiaAgents::negotiate);
  }

  /** {@code negotiator}, with its goal from the seat's private view of the task (it is privileged). */
  static PrivilegedAgent oracle() {
    return request -> {
      String goal = request.task().fields().get("goal");
      if (goal == null) {
        return CompletableFuture.completedFuture(AgentResponse.failure("the oracle needs its seat's private view "
            + "of the task (field 'goal'); it got " + request.task().fields().keySet()));
      }
      return answer(request, goal, SotopiaAgents::negotiate);
    };
  }

  static Agent hardliner() {
    return request -> answer(request, null, r -> r.partnerOffer().isPresent() && r.good(r.partnerOffer().get(),
        r.margin()) ? json("action", "accept") : json("action", "propose " + (r.reservation() + r.sign()
            * r.margin())));
  }

  static Agent random() {
    return request -> {
      SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
      String out = switch (random.nextInt(6)) {
        case 0 -> json("speak", CHATTER.get(random.nextInt(CHATTER.size())));
        case 1 -> json("non-verbal communication", random.nextBoolean() ? "nods" : "shrugs");
        case 2 -> json("action", "propose " + (1 + random.nextInt(300)));
        case 3 -> json("action", "accept");
        case 4 -> json("none", "");
        default -> json("leave", "");
      };
      return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(out)));
    };
  }

  private static CompletionStage<AgentResponse> answer(AgentRequest request, String goal,
      Function<Reading, String> play) {
    Optional<Reading> reading = read(request.conversation(), goal);
    if (reading.isEmpty()) {
      return CompletableFuture.completedFuture(AgentResponse.failure("this is not a sotopia conversation with a goal "
          + "of 'at least N' or 'at most N'"));
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(play.apply(reading.get()))));
  }
}
