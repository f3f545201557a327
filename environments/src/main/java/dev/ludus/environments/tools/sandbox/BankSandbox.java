package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.BankState.Account;
import dev.ludus.environments.tools.sandbox.BankState.Transaction;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A bank with a seeded virtual clock: list accounts, balances, transfers, deposits, withdrawals, the transaction
 * log, the time. Money is exact (cents); amounts with more than two decimals are refused. Each transaction
 * advances the clock by one minute and is stamped with it. Stateless; the state is a {@link BankState}.
 */
final class BankSandbox extends Sandbox<BankState> {
  static final String NAME = "bank";
  static final int MAX_TRANSACTIONS = 500;
  private static final String ACCOUNT = "^[A-Z]{3}-[0-9]{4}$";

  private final List<Operation<BankState>> operations = List.of(
      Operation.of("list_accounts", "List the accounts with their type and balance.", Params.none(), (s, a) -> {
        ArrayNode list = F.arrayNode();
        s.accounts().forEach((id, acc) -> list.addObject().put("account_id", id).put("type", acc.type())
            .put("balance", Money.decimal(acc.balance())));
        ObjectNode r = obj();
        r.set("accounts", list);
        return new Operation.Outcome<>(s, r);
      }),
      Operation.of("get_balance", "Get the balance of an account.",
          Params.of().pattern("account_id", "The account id, e.g. CHK-1234.", true, ACCOUNT),
          (s, a) -> {
            String id = a.str("account_id");
            return new Operation.Outcome<>(s, obj().put("account_id", id)
                .put("balance", Money.decimal(account(s, id).balance())));
          }),
      Operation.of("transfer_funds", "Transfer money from one account to another.",
          Params.of().pattern("from_account", "The account to take the money from.", true, ACCOUNT)
              .pattern("to_account", "The account to put the money in.", true, ACCOUNT)
              .number("amount", "The amount in dollars, at most two decimals.", true, 0.01, 1_000_000),
          (s, a) -> {
            String from = a.str("from_account");
            String to = a.str("to_account");
            long cents = a.cents("amount");
            if (from.equals(to)) {
              throw new SandboxError("cannot transfer from an account to itself");
            }
            Account src = account(s, from);
            Account dst = account(s, to);
            if (src.balance() < cents) {
              throw new SandboxError("insufficient funds in " + from + ": balance " + Money.words(src.balance())
                  + ", asked " + Money.words(cents));
            }
            TreeMap<String, Account> acc = new TreeMap<>(s.accounts());
            acc.put(from, new Account(src.type(), src.balance() - cents));
            acc.put(to, new Account(dst.type(), dst.balance() + cents));
            return log(s, acc, "transfer", from, to, cents, obj().put("from_balance",
                Money.decimal(src.balance() - cents)));
          }),
      Operation.of("deposit", "Deposit money into an account.",
          Params.of().pattern("account_id", "The account.", true, ACCOUNT)
              .number("amount", "The amount in dollars, at most two decimals.", true, 0.01, 1_000_000),
          (s, a) -> {
            String id = a.str("account_id");
            long cents = a.cents("amount");
            Account acc = account(s, id);
            TreeMap<String, Account> m = new TreeMap<>(s.accounts());
            m.put(id, new Account(acc.type(), acc.balance() + cents));
            return log(s, m, "deposit", "", id, cents, obj().put("new_balance", Money.decimal(acc.balance() + cents)));
          }),
      Operation.of("withdraw", "Withdraw money from an account.",
          Params.of().pattern("account_id", "The account.", true, ACCOUNT)
              .number("amount", "The amount in dollars, at most two decimals.", true, 0.01, 1_000_000),
          (s, a) -> {
            String id = a.str("account_id");
            long cents = a.cents("amount");
            Account acc = account(s, id);
            if (acc.balance() < cents) {
              throw new SandboxError("insufficient funds in " + id + ": balance " + Money.words(acc.balance()));
            }
            TreeMap<String, Account> m = new TreeMap<>(s.accounts());
            m.put(id, new Account(acc.type(), acc.balance() - cents));
            return log(s, m, "withdrawal", id, "", cents, obj().put("new_balance",
                Money.decimal(acc.balance() - cents)));
          }),
      Operation.of("get_transactions", "List the latest transactions (at most 10) of an account.",
          Params.of().pattern("account_id", "The account.", true, ACCOUNT),
          (s, a) -> {
            String id = a.str("account_id");
            account(s, id);
            List<Transaction> mine = s.transactions().stream()
                .filter(t -> t.from().equals(id) || t.to().equals(id)).toList();
            ArrayNode list = F.arrayNode();
            for (Transaction t : mine.subList(Math.max(0, mine.size() - 10), mine.size())) {
              list.addObject().put("transaction_id", t.id()).put("time", t.time()).put("kind", t.kind())
                  .put("from", t.from()).put("to", t.to()).put("amount", Money.decimal(t.amount()));
            }
            ObjectNode r = obj();
            r.set("transactions", list);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("get_bank_time", "Get the bank's current time.", Params.none(),
          (s, a) -> new Operation.Outcome<>(s, obj().put("time", Money.clock(s.clock())))));

  private static Account account(BankState s, String id) {
    Account a = s.accounts().get(id);
    if (a == null) {
      throw new SandboxError("account '" + id + "' not found; accounts: " + String.join(", ", s.accounts().keySet()));
    }
    return a;
  }

  private static Operation.Outcome<BankState> log(BankState s, TreeMap<String, Account> accounts, String kind,
      String from, String to, long cents, ObjectNode result) {
    if (s.transactions().size() >= MAX_TRANSACTIONS) {
      throw new SandboxError("the transaction log is full");
    }
    String id = String.format(Locale.ROOT, "TX%04d", s.transactions().size() + 1);
    String time = Money.clock(s.clock());
    List<Transaction> tx = new ArrayList<>(s.transactions());
    tx.add(new Transaction(id, time, kind, from, to, cents));
    result.put("status", "completed").put("transaction_id", id).put("time", time);
    return new Operation.Outcome<>(new BankState(accounts, tx, s.clock() + 1), result);
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "A bank: accounts, balances, transfers, deposits, withdrawals and transaction history.";
  }

  @Override
  Class<BankState> stateType() {
    return BankState.class;
  }

  @Override
  List<Operation<BankState>> operations() {
    return operations;
  }

  @Override
  BankState sample(SplittableRandom r) {
    TreeMap<String, Account> accounts = new TreeMap<>();
    String[][] kinds = {{"CHK", "checking"}, {"SAV", "savings"}, {"BIZ", "business"}, {"TRV", "travel"}};
    int n = 2 + r.nextInt(3);
    for (String[] k : shuffled(List.of(kinds), r).subList(0, n)) {
      String id = k[0] + "-" + (1000 + r.nextInt(9000));
      accounts.put(id, new Account(k[1], 100 * (200 + r.nextInt(4800)) + (r.nextBoolean() ? r.nextInt(100) : 0)));
    }
    return new BankState(accounts, List.of(), 8 * 60 + r.nextInt(8 * 60));
  }

  @Override
  BankState fromJson(JsonNode json) {
    return BankState.fromJson(json);
  }

  private static long amount(SplittableRandom r, long max) {
    long dollars = 5 + r.nextInt((int) Math.max(1, Math.min(500, max / 100 - 5)));
    return dollars * 100 + (r.nextInt(4) == 0 ? 25 * r.nextInt(4) : 0);
  }

  private static Fact amountFact(long cents) {
    return new Fact("amount", List.of("amount", "how much", "much", "sum"), "It's " + Money.words(cents) + " dollars.");
  }

  private final List<Intent.Template<BankState>> intents = List.of(
      (s, r) -> {
        String id = pick(r, new ArrayList<>(s.accounts().keySet()));
        return Optional.of(Intent.single(pick(r, "What's the balance of account " + id + "?",
            "How much money is in " + id + "?"), call("get_balance", "account_id", id)));
      },
      (s, r) -> {
        List<String> ids = shuffled(new ArrayList<>(s.accounts().keySet()), r);
        String from = ids.get(0);
        String to = ids.get(1);
        long cents = amount(r, s.accounts().get(from).balance());
        return Optional.of(Intent.single("Transfer $" + Money.words(cents) + " from " + from + " to " + to + ".",
            call("transfer_funds", "from_account", from, "to_account", to, "amount", Money.decimal(cents)))
            .withholding("Move some money from " + from + " to " + to + ".", amountFact(cents)));
      },
      (s, r) -> {
        String id = pick(r, new ArrayList<>(s.accounts().keySet()));
        long cents = amount(r, 100_000);
        return Optional.of(Intent.single("Deposit $" + Money.words(cents) + " into " + id + ".",
            call("deposit", "account_id", id, "amount", Money.decimal(cents)))
            .withholding("I'd like to make a deposit into " + id + ".", amountFact(cents)));
      },
      (s, r) -> {
        String id = pick(r, new ArrayList<>(s.accounts().keySet()));
        long cents = amount(r, s.accounts().get(id).balance());
        return Optional.of(Intent.single("Withdraw $" + Money.words(cents) + " from " + id + ".",
            call("withdraw", "account_id", id, "amount", Money.decimal(cents))));
      },
      (s, r) -> Optional.of(Intent.single(pick(r, "Which accounts do I have?", "List my accounts and balances."),
          call("list_accounts"))),
      (s, r) -> {
        String id = pick(r, new ArrayList<>(s.accounts().keySet()));
        return Optional.of(Intent.single("Show me the recent transactions of " + id + ".",
            call("get_transactions", "account_id", id)));
      },
      (s, r) -> {
        List<String> ids = shuffled(new ArrayList<>(s.accounts().keySet()), r).subList(0, 2);
        return Optional.of(Intent.of("What are the balances of " + ids.get(0) + " and " + ids.get(1) + "?",
            List.of(ids.stream().map(id -> call("get_balance", "account_id", id)).toList())));
      },
      (s, r) -> {
        List<String> ids = shuffled(new ArrayList<>(s.accounts().keySet()), r);
        String from = ids.get(0);
        String to = ids.get(1);
        long all = s.accounts().get(from).balance();
        if (all <= 0) {
          return Optional.empty();
        }
        return Optional.of(Intent.of("Move everything in " + from + " into " + to + ".",
            List.of(List.of(call("get_balance", "account_id", from)),
                List.of(call("transfer_funds", "from_account", from, "to_account", to, "amount",
                    Money.decimal(all))))));
      });

  @Override
  List<Intent.Template<BankState>> intents() {
    return intents;
  }
}
