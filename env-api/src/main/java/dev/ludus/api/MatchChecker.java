package dev.ludus.api;

import dev.ludus.api.EnvChecker.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link EnvChecker}'s checks of a multi-agent environment. It plays matches with the environment's random agent in
 * every seat, asked as the runtime asks it (the seat's conversation, its seat seed, the task withheld), and records
 * for each seat the request a privileged agent would get (the seat's private view as task fields), which is where a
 * leak of another seat's private information would show. Blocks while it waits; not thread-safe; one use.
 */
final class MatchChecker extends CheckRun<AnyMultiAgentEnvironment, MatchChecker.Trace> {
  private final List<String> seats;

  MatchChecker(BoundEnvironment env, Options options) {
    super(env, options, "match", "moves");
    this.seats = env.seats();
  }

  @Override
  void checkAll() {
    attempt("reset gives every seat to move an opening", this::resetGivesOpenings);
    attempt("step before reset is refused", this::stepBeforeResetRefused);
    attempt("same seed and moves give the same trace", this::deterministic);
    attempt("reset starts over", this::resetStartsOver);
    attempt("malformed moves are answered to their seat, not thrown", this::malformedMovesAnswered);
    attempt("matches end and step after the end is refused", this::runsEnd);
    attempt("signals are declared and no seat sees another seat's secrets", this::noSeatSeesAnothersSecrets);
    attempt("close is idempotent", this::closeIdempotent);
  }

  // ---- the checks ----

  private String resetGivesOpenings() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      try (AnyMultiAgentEnvironment e = create()) {
        MatchStart r = reset(e, task(s), s);
        for (String seat : r.next()) {
          if (r.seats().get(seat).observation().isEmpty()) {
            throw new CheckFailed("seed " + s + ": seat '" + seat + "' moves first but was shown no messages");
          }
        }
        for (Map.Entry<String, SeatStart> start : r.seats().entrySet()) {
          for (Message m : start.getValue().observation()) {
            if (m.role() == Role.ASSISTANT) {
              throw new CheckFailed("seat '" + start.getKey() + "''s opening contains an assistant message; the agent "
                  + "speaks for itself");
            }
          }
        }
      }
    }
    return seats.size() + " seats " + seats;
  }

  private String malformedMovesAnswered() throws Exception {
    List<Message> bad = malformed("a move");
    int flagged = 0;
    for (Message m : bad) {
      try (AnyMultiAgentEnvironment e = create(); Agent random = env.randomAgent()) {
        Task task = task(0);
        MatchStart start = reset(e, task, 0);
        String offender = inOrder(start.next()).get(0);
        Map<String, Message> moves = new LinkedHashMap<>();
        for (String seat : inOrder(start.next())) {
          moves.put(seat, seat.equals(offender) ? m : act(random, new AgentRequest("check-0-" + seat,
              task.withheld(), Seeds.seat(0, seats.indexOf(seat)), 0, start.seats().get(seat).observation(),
              start.seats().get(seat).tools(), seat)));
        }
        MatchStep r = step(e, moves);
        if (r.seat(offender).signals().has(StandardSignals.INVALID_ACTION)) {
          flagged++;
          if (r.seat(offender).observation().isEmpty() && !r.done()) {
            throw new CheckFailed("seat '" + offender + "''s move was flagged invalid ("
                + r.seat(offender).signals().get(StandardSignals.INVALID_ACTION).orElseThrow()
                + ") but the seat got no message saying so, and the match goes on");
          }
        }
      }
    }
    return flaggedInvalid(flagged, bad.size());
  }

  /** One seat's secret: where it came from and its text. */
  private record Secret(String seat, String what, String text) {}

  private String noSeatSeesAnothersSecrets() throws Exception {
    Set<String> declared = new HashSet<>();
    Set<String> secretNames = new HashSet<>();
    for (SignalKey<?> k : env.signals()) {
      declared.add(k.name());
      if (k.secret()) {
        secretNames.add(k.name());
      }
    }
    int checked = 0;
    for (int s = 0; s < options.seeds(); s++) {
      Trace t = play(task(s), s, null);
      Map<String, List<Secret>> secrets = new HashMap<>();
      for (String seat : seats) {
        List<Signals> published = new ArrayList<>();
        published.add(t.start.seats().get(seat).signals());
        t.steps.forEach(r -> published.add(r.seat(seat).signals()));
        List<Secret> own = new ArrayList<>();
        for (Signals sig : published) {
          for (String name : sig.names()) {
            if (!declared.contains(name)) {
              throw new CheckFailed("publishes signal '" + name + "' for seat '" + seat + "' that signals() does not "
                  + "declare; declared: " + declared);
            }
            if (secretNames.contains(name)) {
              own.add(new Secret(seat, "secret signal '" + name + "'", String.valueOf(sig.raw(name).orElseThrow())));
            }
          }
        }
        t.start.seats().get(seat).privateInfo().forEach((k, v) -> own.add(new Secret(seat, "private '" + k + "'", v)));
        own.removeIf(x -> tooPlainToTrace(x.text()));
        secrets.put(seat, own);
      }
      for (String viewer : seats) {
        Set<String> own = new HashSet<>();
        secrets.get(viewer).forEach(x -> own.add(x.what() + "\n" + lower(x.text())));
        for (String other : seats) {
          if (other.equals(viewer)) {
            continue;
          }
          for (Secret secret : secrets.get(other)) {
            String text = lower(secret.text());
            if (own.contains(secret.what() + "\n" + text)) {
              continue; // the viewer's own secret of the same kind is the same text: it knows it anyway
            }
            checked++;
            checkHidden(t, viewer, secret, text);
          }
        }
      }
    }
    return declared.size() + " declared, " + checked + " secret values checked against the other seats";
  }

  /** Fails when {@code viewer}'s observations (before the end) or requests show {@code secret}'s text. */
  private void checkHidden(Trace t, String viewer, Secret secret, String text) throws CheckFailed {
    String leak = "seat '" + viewer + "' can read seat '" + secret.seat() + "''s " + secret.what() + " = '"
        + secret.text() + "'";
    boolean said = false; // once a move has said the text, the seats may repeat it
    if (shows(t.start.seats().get(viewer).observation(), text)) {
      throw new CheckFailed(leak + " in its opening");
    }
    for (int i = 0; i <= t.steps.size(); i++) {
      for (AgentRequest request : i < t.requests.size() ? t.requests.get(i).getOrDefault(viewer, List.of())
          : List.<AgentRequest>of()) {
        for (Map.Entry<String, String> f : request.task().fields().entrySet()) {
          if (lower(f.getValue()).contains(text)) {
            throw new CheckFailed(leak + " in its request's task field '" + f.getKey() + "' (its private information)");
          }
        }
        if (!said && shows(request.conversation(), text)) {
          throw new CheckFailed(leak + " in the conversation of its request at turn " + request.turn());
        }
      }
      if (i == t.steps.size()) {
        break;
      }
      for (Message move : t.moves.get(i).values()) {
        said |= lower(move.content()).contains(text);
      }
      MatchStep r = t.steps.get(i);
      if (!said && !r.done() && shows(r.seat(viewer).observation(), text)) {
        throw new CheckFailed(leak + " in its observation after step " + i + ", before the match ended");
      }
    }
  }

  /** Whether a message that is not the agent's own shows {@code text}. */
  private static boolean shows(List<Message> messages, String text) {
    for (Message m : messages) {
      if (m.role() != Role.ASSISTANT && lower(m.content()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  // ---- playing ----

  @Override
  AnyMultiAgentEnvironment create() {
    AnyEnvironment e = env.create();
    if (!(e instanceof AnyMultiAgentEnvironment multi)) {
      throw new IllegalStateException("environment '" + env.name() + "' is multi-agent but created "
          + (e == null ? "null" : "a single-agent " + e.getClass().getName()));
    }
    return multi;
  }

  private List<String> inOrder(Set<String> some) {
    return seats.stream().filter(some::contains).toList();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static final class Trace implements CheckRun.Trace<Trace> {
    MatchStart start;
    final List<Map<String, Message>> moves = new ArrayList<>();
    final List<MatchStep> steps = new ArrayList<>();
    /** Per step, the requests a privileged agent in each seat to move would have got. */
    final List<Map<String, List<AgentRequest>>> requests = new ArrayList<>();
    boolean ended;
    String error;

    @Override
    public boolean sameAs(Trace t) {
      return start.equals(t.start) && steps.equals(t.steps) && Objects.equals(error, t.error);
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public String firstDifference(Trace other) {
      if (!start.equals(other.start)) {
        return "reset";
      }
      for (int i = 0; i < Math.min(steps.size(), other.steps.size()); i++) {
        if (!steps.get(i).equals(other.steps.get(i))) {
          return i + ": " + steps.get(i) + " vs " + other.steps.get(i);
        }
      }
      if (!Objects.equals(error, other.error)) {
        return steps.size() + ": " + (error != null ? error : other.error);
      }
      return "end (" + steps.size() + " vs " + other.steps.size() + " steps)";
    }
  }

  /** Plays with the random agent in every seat, or replays {@code replayed}'s moves when given. */
  @Override
  Trace play(AnyMultiAgentEnvironment e, Task task, long seed, Trace replayed) throws Exception {
    List<Map<String, Message>> replay = replayed == null ? null : replayed.moves;
    Trace t = new Trace();
    t.start = reset(e, task, seed);
    Map<String, List<Message>> conversations = new HashMap<>();
    Map<String, Integer> turns = new HashMap<>();
    for (String seat : seats) {
      conversations.put(seat, new ArrayList<>(t.start.seats().get(seat).observation()));
      turns.put(seat, 0);
    }
    Set<String> next = t.start.next();
    try (Agent random = env.randomAgent()) {
      for (int round = 0; round < options.maxSteps(); round++) {
        Map<String, Message> moves = new LinkedHashMap<>();
        Map<String, List<AgentRequest>> asked = new HashMap<>();
        for (String seat : inOrder(next)) {
          SeatStart opening = t.start.seats().get(seat);
          AgentRequest full = new AgentRequest("check-" + seed + "-" + seat, task.seatView(opening.privateInfo()),
              Seeds.seat(seed, seats.indexOf(seat)), turns.get(seat), conversations.get(seat), opening.tools(), seat);
          asked.put(seat, List.of(full));
          if (replay == null) {
            moves.put(seat, act(random, new AgentRequest(full.episodeId(), full.task().visibleTo(random), full.seed(),
                full.turn(), full.conversation(), full.tools(), seat)));
          }
        }
        if (replay != null) {
          if (round >= replay.size()) {
            break;
          }
          moves.putAll(replay.get(round));
        }
        t.requests.add(asked);
        MatchStep r;
        try {
          r = step(e, moves);
        } catch (IllegalArgumentException wrongSeats) {
          t.error = wrongSeats.getMessage(); // a replay whose moves no longer fit the seats to move
          break;
        }
        t.moves.add(moves);
        t.steps.add(r);
        for (String seat : seats) {
          if (moves.containsKey(seat)) {
            conversations.get(seat).add(moves.get(seat));
            turns.merge(seat, 1, Integer::sum);
          }
          conversations.get(seat).addAll(r.seat(seat).observation());
        }
        if (r.done()) {
          t.ended = true;
          break;
        }
        next = r.next();
      }
    }
    return t;
  }

  private Message act(Agent agent, AgentRequest request) throws Exception {
    AgentResponse resp = await(agent.act(request));
    if (!(resp instanceof AgentResponse.Reply reply)) {
      throw new CheckFailed("the random agent failed in seat '" + request.seat() + "': "
          + ((AgentResponse.Failure) resp).reason());
    }
    return reply.message();
  }

  @Override
  MatchStart reset(AnyMultiAgentEnvironment e, Task task, long seed) throws Exception {
    if (e instanceof MultiAgentEnvironment sync) {
      return Objects.requireNonNull(sync.reset(task, seed), "reset returned null");
    }
    return Objects.requireNonNull(await(((AsyncMultiAgentEnvironment) e).reset(task, seed)),
        "reset completed with null");
  }

  @Override
  MatchStep stepWith(AnyMultiAgentEnvironment e, Message move) throws Exception {
    return step(e, Map.of(seats.get(0), move));
  }

  private MatchStep step(AnyMultiAgentEnvironment e, Map<String, Message> moves) throws Exception {
    if (e instanceof MultiAgentEnvironment sync) {
      return Objects.requireNonNull(sync.step(moves), "step returned null");
    }
    return Objects.requireNonNull(await(((AsyncMultiAgentEnvironment) e).step(moves)), "step completed with null");
  }

}
