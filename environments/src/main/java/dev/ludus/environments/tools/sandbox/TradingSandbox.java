package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import dev.ludus.environments.tools.sandbox.TradingState.Order;
import dev.ludus.environments.tools.sandbox.TradingState.Stock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Stock trading on a seeded virtual market, after BFCL's {@code TradingBot}: the time, stock information, stocks
 * by sector, market orders (filled at once at the current price, after which the market moves one tick), order
 * details, the account, a watchlist. Bounded: at most {@value #MAX_ORDERS} orders. Stateless; the state is a
 * {@link TradingState}.
 */
final class TradingSandbox extends Sandbox<TradingState> {
  static final String NAME = "trading";
  static final int MAX_ORDERS = 200;
  private static final String SYMBOL = "^[A-Z]{1,5}$";
  private static final List<Object[]> LISTED = List.of(
      new Object[] {"ORB", "Orbital Systems", "technology"}, new Object[] {"NVT", "Novatech", "technology"},
      new Object[] {"QNT", "Quantix", "technology"}, new Object[] {"KPL", "Kepler Foods", "consumer"},
      new Object[] {"SLT", "Saltmarsh Retail", "consumer"}, new Object[] {"HLX", "Helix Pharma", "health"},
      new Object[] {"VYG", "Voyager Health", "health"}, new Object[] {"GRN", "Greenfield Energy", "energy"},
      new Object[] {"TDL", "Tidal Power", "energy"}, new Object[] {"BRK", "Brookline Bank", "finance"},
      new Object[] {"ZPH", "Zephyr Air", "travel"}, new Object[] {"MRL", "Morrell Mining", "materials"});

  private final List<Operation<TradingState>> operations = List.of(
      Operation.of("get_current_time", "Get the market's current time.", Params.none(),
          (s, a) -> new Operation.Outcome<>(s, obj().put("time", s.time()))),
      Operation.of("get_stock_info", "Get a stock's company, sector, current price and change since the open.",
          Params.of().pattern("symbol", "The stock symbol, e.g. ORB.", true, SYMBOL),
          (s, a) -> {
            String sym = a.str("symbol");
            Stock st = stock(s, sym);
            long p = s.price(sym);
            BigDecimal change = BigDecimal.valueOf(100.0 * (p - st.openPrice()) / st.openPrice())
                .setScale(2, RoundingMode.HALF_EVEN);
            return new Operation.Outcome<>(s, obj().put("symbol", sym).put("company", st.company())
                .put("sector", st.sector()).put("price", Money.decimal(p)).put("percent_change", change));
          }),
      Operation.of("get_available_stocks", "List the symbols of the stocks in a sector.",
          Params.of().choice("sector", "The sector.", true, "technology", "consumer", "health", "energy", "finance",
              "travel", "materials"),
          (s, a) -> {
            String sector = a.str("sector");
            ArrayNode list = F.arrayNode();
            s.stocks().forEach((sym, st) -> {
              if (st.sector().equals(sector)) {
                list.add(sym);
              }
            });
            ObjectNode r = obj();
            r.set("symbols", list);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("place_order", "Buy or sell shares at the current market price; the order fills at once.",
          Params.of().choice("order_type", "buy or sell.", true, "buy", "sell")
              .pattern("symbol", "The stock symbol.", true, SYMBOL)
              .integer("amount", "How many shares.", true, 1, 10_000),
          TradingSandbox::order),
      Operation.of("get_order_details", "Get the details of an order.",
          Params.of().integer("order_id", "The order id.", true, 1, 1_000_000),
          (s, a) -> {
            long id = a.integer("order_id");
            for (Order o : s.orders()) {
              if (o.id() == id) {
                return new Operation.Outcome<>(s, obj().put("order_id", o.id()).put("order_type", o.type())
                    .put("symbol", o.symbol()).put("shares", o.shares()).put("price", Money.decimal(o.price()))
                    .put("time", o.time()).put("status", "filled"));
              }
            }
            throw new SandboxError("order " + id + " not found");
          }),
      Operation.of("get_account_info", "Get the account's cash and holdings.", Params.none(), (s, a) -> {
        ObjectNode r = obj().put("cash", Money.decimal(s.cash()));
        ObjectNode h = r.putObject("holdings");
        s.holdings().forEach(h::put);
        return new Operation.Outcome<>(s, r);
      }),
      Operation.of("add_to_watchlist", "Add a stock to the watchlist.",
          Params.of().pattern("symbol", "The stock symbol.", true, SYMBOL),
          (s, a) -> {
            String sym = a.str("symbol");
            stock(s, sym);
            if (s.watchlist().contains(sym)) {
              throw new SandboxError(sym + " is already on the watchlist");
            }
            List<String> w = new ArrayList<>(s.watchlist());
            w.add(sym);
            return new Operation.Outcome<>(s.withWatchlist(w), watch(w));
          }),
      Operation.of("remove_from_watchlist", "Remove a stock from the watchlist.",
          Params.of().pattern("symbol", "The stock symbol.", true, SYMBOL),
          (s, a) -> {
            String sym = a.str("symbol");
            if (!s.watchlist().contains(sym)) {
              throw new SandboxError(sym + " is not on the watchlist");
            }
            List<String> w = new ArrayList<>(s.watchlist());
            w.remove(sym);
            return new Operation.Outcome<>(s.withWatchlist(w), watch(w));
          }),
      Operation.of("get_watchlist", "Get the watchlist.", Params.none(),
          (s, a) -> new Operation.Outcome<>(s, watch(s.watchlist()))));

  private static ObjectNode watch(List<String> w) {
    ArrayNode list = F.arrayNode();
    w.forEach(list::add);
    ObjectNode r = obj();
    r.set("watchlist", list);
    return r;
  }

  private static Stock stock(TradingState s, String sym) {
    Stock st = s.stocks().get(sym);
    if (st == null) {
      throw new SandboxError("stock '" + sym + "' not found; listed: " + String.join(", ", s.stocks().keySet()));
    }
    return st;
  }

  private static Operation.Outcome<TradingState> order(TradingState s, Args a) {
    String type = a.str("order_type");
    String sym = a.str("symbol");
    stock(s, sym);
    long shares = a.integer("amount");
    if (s.orders().size() >= MAX_ORDERS) {
      throw new SandboxError("too many orders today");
    }
    long price = s.price(sym);
    long total = price * shares;
    TreeMap<String, Integer> holdings = new TreeMap<>(s.holdings());
    int held = holdings.getOrDefault(sym, 0);
    long cash = s.cash();
    if (type.equals("buy")) {
      if (total > cash) {
        throw new SandboxError("insufficient cash: " + shares + " shares of " + sym + " cost "
            + Money.words(total) + ", cash is " + Money.words(cash));
      }
      cash -= total;
      holdings.put(sym, held + (int) shares);
    } else {
      if (held < shares) {
        throw new SandboxError("cannot sell " + shares + " shares of " + sym + ": holding " + held);
      }
      cash += total;
      if (held == shares) {
        holdings.remove(sym);
      } else {
        holdings.put(sym, held - (int) shares);
      }
    }
    int id = s.orders().size() + 1;
    List<Order> orders = new ArrayList<>(s.orders());
    orders.add(new Order(id, type, sym, (int) shares, price, s.time()));
    return new Operation.Outcome<>(s.with(cash, holdings, orders), obj().put("order_id", id).put("status", "filled")
        .put("order_type", type).put("symbol", sym).put("shares", shares).put("price", Money.decimal(price))
        .put("total", Money.decimal(total)));
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "Stock trading: prices on a virtual market, orders, holdings and a watchlist.";
  }

  @Override
  Class<TradingState> stateType() {
    return TradingState.class;
  }

  @Override
  List<Operation<TradingState>> operations() {
    return operations;
  }

  @Override
  TradingState sample(SplittableRandom r) {
    TreeMap<String, Stock> stocks = new TreeMap<>();
    for (Object[] l : shuffled(LISTED, r).subList(0, 6 + r.nextInt(5))) {
      stocks.put((String) l[0], new Stock((String) l[1], (String) l[2], 100L * (20 + r.nextInt(380))));
    }
    List<String> symbols = new ArrayList<>(stocks.keySet());
    TreeMap<String, Integer> holdings = new TreeMap<>();
    for (String sym : shuffled(symbols, r).subList(0, 1 + r.nextInt(3))) {
      holdings.put(sym, 5 + r.nextInt(46));
    }
    List<String> watch = new ArrayList<>(shuffled(symbols, r).subList(0, r.nextInt(3)));
    return new TradingState(r.nextLong(), 0, 9 * 60 + 30 + r.nextInt(60), stocks, 100L * (2000 + r.nextInt(18_000)),
        holdings, List.of(), watch);
  }

  @Override
  TradingState fromJson(JsonNode json) {
    return TradingState.fromJson(json);
  }

  private final List<Intent.Template<TradingState>> intents = List.of(
      (s, r) -> {
        String sym = pick(r, new ArrayList<>(s.stocks().keySet()));
        return Optional.of(Intent.single(pick(r, "What is " + sym + " trading at right now?",
            "Get me the stock information for " + sym + "."), call("get_stock_info", "symbol", sym)));
      },
      (s, r) -> {
        String sym = pick(r, new ArrayList<>(s.stocks().keySet()));
        long most = s.cash() / s.price(sym);
        if (most < 1) {
          return Optional.empty();
        }
        int n = 1 + r.nextInt((int) Math.min(most, 20));
        return Optional.of(Intent.single("Buy " + n + " shares of " + sym + ".",
            call("place_order", "order_type", "buy", "symbol", sym, "amount", n))
            .withholding("Buy some shares of " + sym + " for me.",
                new Fact("number of shares", List.of("how many", "shares", "number", "amount"),
                    "Buy " + n + " shares.")));
      },
      (s, r) -> {
        if (s.holdings().isEmpty()) {
          return Optional.empty();
        }
        String sym = pick(r, new ArrayList<>(s.holdings().keySet()));
        int n = 1 + r.nextInt(s.holdings().get(sym));
        return Optional.of(Intent.single("Sell " + n + " shares of " + sym + ".",
            call("place_order", "order_type", "sell", "symbol", sym, "amount", n)));
      },
      (s, r) -> {
        List<String> free = s.stocks().keySet().stream().filter(x -> !s.watchlist().contains(x)).toList();
        if (free.isEmpty()) {
          return Optional.empty();
        }
        String sym = pick(r, free);
        return Optional.of(Intent.single("Add " + sym + " to my watchlist.", call("add_to_watchlist", "symbol", sym))
            .withholding("Add a stock to my watchlist.",
                new Fact("symbol", List.of("which", "symbol", "stock"), "The symbol is " + sym + ".")));
      },
      (s, r) -> {
        if (s.watchlist().isEmpty()) {
          return Optional.empty();
        }
        String sym = pick(r, s.watchlist());
        return Optional.of(Intent.single("Take " + sym + " off my watchlist.",
            call("remove_from_watchlist", "symbol", sym)));
      },
      (s, r) -> {
        String sector = pick(r, s.stocks().values().stream().map(Stock::sector).distinct().toList());
        return Optional.of(Intent.single("Which " + sector + " stocks are listed?",
            call("get_available_stocks", "sector", sector)));
      },
      (s, r) -> Optional.of(Intent.single(pick(r, "How much cash do I have, and what do I hold?",
          "Show me my trading account."), call("get_account_info"))),
      (s, r) -> {
        List<String> syms = shuffled(new ArrayList<>(s.stocks().keySet()), r).subList(0, 2 + r.nextInt(2));
        return Optional.of(Intent.of("Get me the current prices of " + String.join(", ", syms) + ".",
            List.of(syms.stream().map(x -> call("get_stock_info", "symbol", x)).toList())));
      },
      (s, r) -> {
        List<String> free = shuffled(s.stocks().keySet().stream().filter(x -> !s.watchlist().contains(x)).toList(), r);
        if (free.size() < 2) {
          return Optional.empty();
        }
        return Optional.of(Intent.of("Add " + free.get(0) + " and " + free.get(1) + " to my watchlist.",
            List.of(List.of(call("add_to_watchlist", "symbol", free.get(0)),
                call("add_to_watchlist", "symbol", free.get(1))))));
      },
      (s, r) -> {
        List<String> two = shuffled(new ArrayList<>(s.stocks().keySet()), r).subList(0, 2);
        long pa = s.price(two.get(0));
        long pb = s.price(two.get(1));
        if (pa == pb) {
          return Optional.empty();
        }
        String cheaper = pa < pb ? two.get(0) : two.get(1);
        int n = 1 + r.nextInt(5);
        if (Math.min(pa, pb) * n > s.cash()) {
          return Optional.empty();
        }
        return Optional.of(Intent.of("Buy " + n + " shares of whichever is cheaper right now, " + two.get(0)
            + " or " + two.get(1) + ".",
            List.of(List.of(call("get_stock_info", "symbol", two.get(0)), call("get_stock_info", "symbol", two.get(1))),
                List.of(call("place_order", "order_type", "buy", "symbol", cheaper, "amount", n)))));
      },
      (s, r) -> {
        String sym = pick(r, new ArrayList<>(s.stocks().keySet()));
        long budget = 100L * (200 + 100 * r.nextInt(20));
        long n = budget / s.price(sym);
        if (n < 1 || n * s.price(sym) > s.cash()) {
          return Optional.empty();
        }
        return Optional.of(Intent.of("Spend at most $" + Money.words(budget) + " on as many whole shares of " + sym
            + " as that buys.", List.of(List.of(call("get_stock_info", "symbol", sym)),
            List.of(call("place_order", "order_type", "buy", "symbol", sym, "amount", n)))));
      });

  @Override
  List<Intent.Template<TradingState>> intents() {
    return intents;
  }
}
