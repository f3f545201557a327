package dev.ludus.environments.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SandboxesTest {
  private static ObjectNode args(Object... kv) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      if (v instanceof String s) {
        o.put((String) kv[i], s);
      } else if (v instanceof Integer n) {
        o.put((String) kv[i], n);
      } else {
        o.put((String) kv[i], (BigDecimal) v);
      }
    }
    return o;
  }

  @Test
  void toolNamesAreUniqueAndEverySandboxOffersSome() {
    Set<String> names = new HashSet<>();
    for (String s : Sandboxes.names()) {
      assertTrue(Sandboxes.tools(s).size() >= 5, s);
      Sandboxes.tools(s).forEach(t -> assertTrue(names.add(t.name()), t.name()));
      Sandboxes.tools(s).forEach(t -> assertEquals(s, Sandboxes.sandboxOf(t.name()).orElseThrow()));
    }
    assertEquals(List.of("files", "messages", "bank", "trading", "travel", "tickets", "math", "memory"),
        Sandboxes.names());
  }

  @Property(tries = 60)
  void statesReadBackFromTheirJson(@ForAll long seed) {
    World w = World.sample(Sandboxes.names(), new SplittableRandom(seed));
    World back = World.fromJson(StrictJson.parse(w.toJson().toString()));
    assertEquals(w, back);
    assertEquals(0, w.distance(back));
  }

  @Property(tries = 60)
  void samplingIsDeterministicInTheSeed(@ForAll long seed) {
    assertEquals(World.sample(Sandboxes.names(), new SplittableRandom(seed)),
        World.sample(Sandboxes.names(), new SplittableRandom(seed)));
  }

  @Property(tries = 60)
  void callsArePureFunctionsOfTheWorld(@ForAll long seed) {
    World w = World.sample(Sandboxes.names(), new SplittableRandom(seed));
    SplittableRandom r = new SplittableRandom(seed);
    for (String sandbox : Sandboxes.names()) {
      Intent intent = w.sampleIntent(sandbox, r, i -> true, 50).orElseThrow();
      for (Intent.Call c : intent.calls()) {
        World before = w;
        try {
          World.Result a = w.call(c.name(), c.arguments());
          World.Result b = before.call(c.name(), c.arguments());
          assertEquals(a, b);
          w = a.world();
        } catch (SandboxError e) {
          assertThrows(SandboxError.class, () -> before.call(c.name(), c.arguments()));
        }
        assertEquals(before, World.fromJson(before.toJson())); // the old world is untouched
      }
    }
  }

  @Test
  void distanceIsZeroExactlyForEqualPublicStates() {
    World w = World.sample(List.of("bank", "memory"), new SplittableRandom(1));
    String account = ((BankState) w.states().get("bank")).accounts().firstKey();
    World after = w.call("deposit", args("account_id", account, "amount", new BigDecimal("10.00"))).world();
    assertTrue(after.distance(w) > 0);
    assertTrue(!after.samePublicState(w));
    World stored = w.call("memory_store", args("key", "new_key", "value", "v")).world();
    assertEquals(1, stored.distance(w));
  }

  @Test
  void bankTransfersMoveExactCentsAndRefuseOverdrafts() {
    World w = World.sample(List.of("bank"), new SplittableRandom(2));
    BankState s = (BankState) w.states().get("bank");
    List<String> ids = List.copyOf(s.accounts().keySet());
    long from = s.accounts().get(ids.get(0)).balance();
    World after = w.call("transfer_funds", args("from_account", ids.get(0), "to_account", ids.get(1),
        "amount", new BigDecimal("12.34"))).world();
    BankState t = (BankState) after.states().get("bank");
    assertEquals(from - 1234, t.accounts().get(ids.get(0)).balance());
    assertEquals(1, t.transactions().size());
    assertEquals(s.clock() + 1, t.clock());
    assertThrows(SandboxError.class, () -> w.call("transfer_funds", args("from_account", ids.get(0), "to_account",
        ids.get(1), "amount", new BigDecimal("99999999"))));
    assertThrows(SandboxError.class, () -> w.call("deposit", args("account_id", ids.get(0), "amount",
        new BigDecimal("1.001"))));
  }

  @Test
  void marketPricesMoveAfterEachOrderSoTimingMatters() {
    World w = World.sample(List.of("trading"), new SplittableRandom(4));
    TradingState s = (TradingState) w.states().get("trading");
    String sym = s.stocks().firstKey();
    String before = w.call("get_stock_info", args("symbol", sym)).content();
    assertEquals(before, w.call("get_stock_info", args("symbol", sym)).content(), "reading does not move the market");
    World after = w.call("place_order", args("order_type", "buy", "symbol", sym, "amount", 1)).world();
    boolean moved = false;
    World x = after;
    for (int i = 0; i < 5 && !moved; i++) {
      moved = !x.call("get_stock_info", args("symbol", sym)).content().equals(before);
      x = x.call("place_order", args("order_type", "buy", "symbol", sym, "amount", 1)).world();
    }
    assertTrue(moved, "the price never moved");
    assertNotEquals(w.call("get_current_time", args()).content(), x.call("get_current_time", args()).content());
  }

  @Test
  void theFileSystemMovesCopiesAndNavigatesOneLevelAtATime() {
    World w = World.sample(List.of("files"), new SplittableRandom(5));
    FileSystemState fs = (FileSystemState) w.states().get("files");
    String dir = fs.root().entries().entrySet().stream().filter(e -> e.getValue() instanceof FileSystemState.Dir)
        .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
    String file = fs.root().entries().entrySet().stream().filter(e -> e.getValue() instanceof FileSystemState.TextFile)
        .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
    World moved = w.call("mv", args("source", file, "destination", dir)).world();
    assertThrows(SandboxError.class, () -> moved.call("cat", args("file_name", file)));
    World inside = moved.call("cd", args("folder", dir)).world();
    assertEquals(w.call("cat", args("file_name", file)).content(), inside.call("cat", args("file_name", file))
        .content());
    assertTrue(inside.call("pwd", args()).content().endsWith("/" + dir + "\"}"));
    assertThrows(SandboxError.class, () -> w.call("cd", args("folder", dir + "/sub")));
    World copied = w.call("cp", args("source", file, "destination", "copy.txt")).world();
    assertEquals(w.call("cat", args("file_name", file)).content(), copied.call("cat", args("file_name", "copy.txt"))
        .content());
  }

  @Test
  void ticketsMemoryMessagesAndTravelKeepTheirRules() {
    World w = World.sample(List.of("tickets", "memory", "messages", "travel"), new SplittableRandom(6));
    World t = w.call("create_ticket", args("title", "printer", "description", "jammed")).world();
    TicketState ts = (TicketState) t.states().get("tickets");
    int id = ts.tickets().get(ts.tickets().size() - 1).id();
    World closed = t.call("close_ticket", args("ticket_id", id)).world();
    assertThrows(SandboxError.class, () -> closed.call("close_ticket", args("ticket_id", id)));
    assertThrows(SandboxError.class, () -> w.call("memory_retrieve", args("key", "never_stored")));
    MessagingState ms = (MessagingState) w.states().get("messages");
    String someone = ms.users().entrySet().stream().filter(e -> !e.getValue().equals(ms.me())).findFirst()
        .orElseThrow().getValue();
    World sent = w.call("send_message", args("receiver_id", someone, "message", "hi")).world();
    assertEquals(ms.messages().size() + 1, ((MessagingState) sent.states().get("messages")).messages().size());
    assertThrows(SandboxError.class, () -> w.call("send_message", args("receiver_id", "USR999", "message", "hi")));
    TravelState tr = (TravelState) w.states().get("travel");
    String card = tr.cards().firstKey();
    TravelState.Flight f = tr.flights().get(0);
    if (tr.cards().get(card) >= f.price()) {
      World booked = w.call("book_flight", args("flight_id", f.id(), "card_id", card)).world();
      assertEquals(tr.cards().get(card) - f.price(), ((TravelState) booked.states().get("travel")).cards().get(card));
    }
    assertThrows(SandboxError.class, () -> w.call("cat", args("file_name", "x")), "files is not in this world");
  }
}
