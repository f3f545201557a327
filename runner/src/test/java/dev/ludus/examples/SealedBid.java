package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import java.util.*;
import java.util.concurrent.CompletableFuture;

/** A sealed-bid auction: two seats bid at once for an item each values privately; the higher bid buys it. */
public final class SealedBid implements MultiAgentEnvironmentProvider<NoConfig> {
  static final SignalKey<Integer> VALUE = SignalKey.secret("value", Integer.class);
  static final List<String> SEATS = List.of("north", "south");
  static final class Auction implements MultiAgentEnvironment {
    private final Map<String, Integer> values = new HashMap<>();
    public MatchStart reset(Task task, long seed) {
      Random random = new Random(task.seed());
      Map<String, SeatStart> seats = new HashMap<>();
      for (String seat : SEATS) {
        int value = 10 + random.nextInt(90);
        values.put(seat, value);
        seats.put(seat, new SeatStart(List.of(Message.user("The item is worth " + value + " to you. Your bid?")),
            List.of(), Map.of("value", String.valueOf(value)), Signals.of(VALUE, value)));
      }
      return new MatchStart(seats, Set.copyOf(SEATS)); // both seats move at once
    }
    public MatchStep step(Map<String, Message> bids) {
      Map<String, Integer> bid = new HashMap<>();
      for (String seat : SEATS) {
        String text = bids.get(seat).content().strip();
        bid.put(seat, text.matches("\\d{1,3}") ? Integer.parseInt(text) : -1); // -1: no bid
      }
      String winner = bid.get("north") >= bid.get("south") ? "north" : "south";
      Map<String, SeatStep> out = new HashMap<>();
      for (String seat : SEATS) {
        boolean won = seat.equals(winner) && bid.get(seat) >= 0;
        Signals.Builder s = Signals.builder().put(StandardSignals.SUCCESS, won);
        if (bid.get(seat) < 0) {
          s.put(StandardSignals.INVALID_ACTION, "not a whole number from 0 to 999");
        }
        String say = bid.get(seat) < 0 ? "That was no bid." : won ? "You bought it." : "You were outbid.";
        out.put(seat, new SeatStep(List.of(Message.user(say)), won ? values.get(seat) - bid.get(seat) : 0, s.build()));
      }
      return MatchStep.end(out); // each seat gets its own message, reward and signals
    }
  }
  public String name() { return "sealed-bid"; }
  public String description() { return "two seats bid at once for an item each values privately"; }
  public Class<NoConfig> configType() { return NoConfig.class; }
  public NoConfig defaultConfig() { return NoConfig.INSTANCE; }
  public List<String> seats(NoConfig c) { return SEATS; }
  public AnyMultiAgentEnvironment create(NoConfig c) { return new Auction(); }
  public Set<SignalKey<?>> signals() { return Set.of(VALUE, StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION); }
  public Agent randomAgent(NoConfig c) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(
        Message.assistant(String.valueOf(new SplittableRandom(Seeds.mix(r.seed(), r.turn())).nextInt(100)))));
  }
}
// readme:end
