package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The bank's state: accounts with balances in cents, the transaction log, and a virtual clock (minutes since
 * the day's midnight, seeded per task) that advances one minute with every transaction. Immutable.
 *
 * @param accounts account id to account
 * @param transactions every transaction, oldest first
 * @param clock the virtual time in minutes since midnight
 */
public record BankState(SortedMap<String, Account> accounts, List<Transaction> transactions, long clock)
    implements SandboxState {
  public BankState {
    accounts = Collections.unmodifiableSortedMap(new TreeMap<>(accounts));
    transactions = List.copyOf(transactions);
  }

  /** An account: its type ({@code checking}, {@code savings}, ...) and balance in cents. */
  public record Account(String type, long balance) {
    public Account {
      Objects.requireNonNull(type, "type");
    }
  }

  /** A transaction: who paid whom, how much (cents), when (virtual time). {@code from} is empty for deposits. */
  public record Transaction(String id, String time, String kind, String from, String to, long amount) {}

  @Override
  public String sandbox() {
    return BankSandbox.NAME;
  }

  @Override
  public JsonNode toJson() {
    return publicJson();
  }

  @Override
  public JsonNode publicJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    ObjectNode acc = out.putObject("accounts");
    accounts.forEach((id, a) -> acc.putObject(id).put("type", a.type()).put("balance", Money.decimal(a.balance())));
    ArrayNode tx = out.putArray("transactions");
    for (Transaction t : transactions) {
      tx.addObject().put("id", t.id()).put("time", t.time()).put("kind", t.kind()).put("from", t.from())
          .put("to", t.to()).put("amount", Money.decimal(t.amount()));
    }
    out.put("clock", clock);
    return out;
  }

  static BankState fromJson(JsonNode json) {
    TreeMap<String, Account> accounts = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("accounts").properties()) {
      accounts.put(e.getKey(), new Account(e.getValue().path("type").asText("checking"),
          e.getValue().path("balance").decimalValue().movePointRight(2).longValueExact()));
    }
    List<Transaction> tx = new ArrayList<>();
    for (JsonNode t : json.path("transactions")) {
      tx.add(new Transaction(t.path("id").asText(), t.path("time").asText(), t.path("kind").asText(),
          t.path("from").asText(""), t.path("to").asText(""), t.path("amount").decimalValue().movePointRight(2)
              .longValueExact()));
    }
    return new BankState(accounts, tx, json.path("clock").asLong(9 * 60));
  }
}
