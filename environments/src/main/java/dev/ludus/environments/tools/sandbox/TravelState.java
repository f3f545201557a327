package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The travel-booking sandbox's state, after BFCL's {@code TravelAPI}: the airports by city, a catalogue of
 * flights, the traveller's cards with their available credit (cents), and the bookings. Immutable.
 *
 * @param airports city to airport code
 * @param flights the flight catalogue (fixed per task)
 * @param cards card id to available credit in cents
 * @param bookings every booking, oldest first
 */
public record TravelState(SortedMap<String, String> airports, List<Flight> flights, SortedMap<String, Long> cards,
    List<Booking> bookings) implements SandboxState {
  public TravelState {
    airports = Collections.unmodifiableSortedMap(new TreeMap<>(airports));
    flights = List.copyOf(flights);
    cards = Collections.unmodifiableSortedMap(new TreeMap<>(cards));
    bookings = List.copyOf(bookings);
  }

  /** A flight: id, route, departure, price in cents, cabin. */
  public record Flight(String id, String origin, String destination, String departs, long price, String cabin) {}

  /** A booking of a flight on a card; status {@code confirmed} or {@code cancelled}. */
  public record Booking(String id, String flight, String card, long price, String status) {}

  @Override
  public String sandbox() {
    return TravelSandbox.NAME;
  }

  TravelState with(SortedMap<String, Long> newCards, List<Booking> newBookings) {
    return new TravelState(airports, flights, newCards, newBookings);
  }

  @Override
  public JsonNode toJson() {
    ObjectNode out = publicJson().deepCopy();
    ObjectNode a = out.putObject("airports");
    airports.forEach(a::put);
    ArrayNode f = out.putArray("flights");
    for (Flight fl : flights) {
      f.addObject().put("id", fl.id()).put("origin", fl.origin()).put("destination", fl.destination())
          .put("departs", fl.departs()).put("price", Money.decimal(fl.price())).put("cabin", fl.cabin());
    }
    return out;
  }

  @Override
  public JsonNode publicJson() {
    JsonNodeFactory fac = JsonNodeFactory.instance;
    ObjectNode out = fac.objectNode();
    ObjectNode c = out.putObject("cards");
    cards.forEach((id, v) -> c.put(id, Money.decimal(v)));
    ArrayNode b = out.putArray("bookings");
    for (Booking bk : bookings) {
      b.addObject().put("id", bk.id()).put("flight", bk.flight()).put("card", bk.card())
          .put("price", Money.decimal(bk.price())).put("status", bk.status());
    }
    return out;
  }

  static TravelState fromJson(JsonNode json) {
    TreeMap<String, String> airports = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("airports").properties()) {
      airports.put(e.getKey(), e.getValue().asText());
    }
    List<Flight> flights = new ArrayList<>();
    for (JsonNode f : json.path("flights")) {
      flights.add(new Flight(f.path("id").asText(), f.path("origin").asText(), f.path("destination").asText(),
          f.path("departs").asText(), cents(f.path("price")), f.path("cabin").asText("economy")));
    }
    TreeMap<String, Long> cards = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("cards").properties()) {
      cards.put(e.getKey(), cents(e.getValue()));
    }
    List<Booking> bookings = new ArrayList<>();
    for (JsonNode b : json.path("bookings")) {
      bookings.add(new Booking(b.path("id").asText(), b.path("flight").asText(), b.path("card").asText(),
          cents(b.path("price")), b.path("status").asText("confirmed")));
    }
    return new TravelState(airports, flights, cards, bookings);
  }

  private static long cents(JsonNode n) {
    return n.decimalValue().movePointRight(2).longValueExact();
  }
}
