package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The trading sandbox's state, after BFCL's {@code TradingBot}, with a seeded virtual market: each stock's price
 * is a deterministic random walk of the seed, the symbol and the tick, and the market moves one tick after every
 * order, so the price an order fills at depends on what was done before (time-sensitive, as PORTool's tools).
 * Immutable.
 *
 * @param seed the market's seed (private)
 * @param tick how many orders have moved the market (private)
 * @param openMinute the virtual time of tick 0, in minutes since midnight (private)
 * @param stocks symbol to stock (sector and starting price in cents)
 * @param cash cash in cents
 * @param holdings symbol to shares held
 * @param orders every order, oldest first
 * @param watchlist the watched symbols, in the order they were added
 */
public record TradingState(long seed, int tick, long openMinute, SortedMap<String, Stock> stocks, long cash,
    SortedMap<String, Integer> holdings, List<Order> orders, List<String> watchlist) implements SandboxState {
  public TradingState {
    stocks = Collections.unmodifiableSortedMap(new TreeMap<>(stocks));
    holdings = Collections.unmodifiableSortedMap(new TreeMap<>(holdings));
    orders = List.copyOf(orders);
    watchlist = List.copyOf(watchlist);
  }

  /** A listed stock: its company, sector and price at tick 0 in cents. */
  public record Stock(String company, String sector, long openPrice) {
    public Stock {
      Objects.requireNonNull(company, "company");
      Objects.requireNonNull(sector, "sector");
    }
  }

  /** A filled order. */
  public record Order(int id, String type, String symbol, int shares, long price, String time) {}

  @Override
  public String sandbox() {
    return TradingSandbox.NAME;
  }

  /** The price of {@code symbol} now, in cents: the open price moved by up to ±2% per tick, from the seed. */
  long price(String symbol) {
    return price(symbol, tick);
  }

  long price(String symbol, int at) {
    long p = stocks.get(symbol).openPrice();
    long h = Seeds.mix(seed, symbol.hashCode());
    for (int i = 1; i <= at; i++) {
      long step = Math.floorMod(Seeds.mix(h, i), 401) - 200; // -200..200 basis points / 100 = ±2%
      p = Math.max(100, p + Math.round(p * step / 10_000.0));
    }
    return p;
  }

  String time() {
    return Money.clock(openMinute + tick);
  }

  TradingState with(long newCash, SortedMap<String, Integer> newHoldings, List<Order> newOrders) {
    return new TradingState(seed, tick + 1, openMinute, stocks, newCash, newHoldings, newOrders, watchlist);
  }

  TradingState withWatchlist(List<String> list) {
    return new TradingState(seed, tick, openMinute, stocks, cash, holdings, orders, list);
  }

  @Override
  public JsonNode toJson() {
    ObjectNode out = publicJson().deepCopy();
    out.put("seed", seed).put("tick", tick).put("open_minute", openMinute);
    ObjectNode st = out.putObject("stocks");
    stocks.forEach((sym, s) -> st.putObject(sym).put("company", s.company()).put("sector", s.sector())
        .put("open_price", Money.decimal(s.openPrice())));
    return out;
  }

  @Override
  public JsonNode publicJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    out.put("cash", Money.decimal(cash));
    ObjectNode h = out.putObject("holdings");
    holdings.forEach(h::put);
    ArrayNode o = out.putArray("orders");
    for (Order order : orders) {
      o.addObject().put("id", order.id()).put("type", order.type()).put("symbol", order.symbol())
          .put("shares", order.shares()).put("price", Money.decimal(order.price())).put("time", order.time());
    }
    ArrayNode w = out.putArray("watchlist");
    watchlist.forEach(w::add);
    return out;
  }

  static TradingState fromJson(JsonNode json) {
    TreeMap<String, Stock> stocks = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("stocks").properties()) {
      JsonNode s = e.getValue();
      stocks.put(e.getKey(), new Stock(s.path("company").asText(e.getKey()), s.path("sector").asText("other"),
          s.path("open_price").decimalValue().movePointRight(2).longValueExact()));
    }
    TreeMap<String, Integer> holdings = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("holdings").properties()) {
      holdings.put(e.getKey(), e.getValue().asInt());
    }
    List<Order> orders = new ArrayList<>();
    for (JsonNode o : json.path("orders")) {
      orders.add(new Order(o.path("id").asInt(), o.path("type").asText(), o.path("symbol").asText(),
          o.path("shares").asInt(), o.path("price").decimalValue().movePointRight(2).longValueExact(),
          o.path("time").asText()));
    }
    List<String> watch = new ArrayList<>();
    json.path("watchlist").forEach(n -> watch.add(n.asText()));
    return new TradingState(json.path("seed").asLong(), json.path("tick").asInt(), json.path("open_minute")
        .asLong(9 * 60 + 30), stocks, json.path("cash").decimalValue().movePointRight(2).longValueExact(), holdings,
        orders, watch);
  }
}
