package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import dev.ludus.environments.tools.sandbox.TravelState.Booking;
import dev.ludus.environments.tools.sandbox.TravelState.Flight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Travel booking, after BFCL's {@code TravelAPI}: airport codes, flight search, booking on a card (which needs
 * the credit), cancellation (refunded), bookings, card balances. Stateless; the state is a {@link TravelState}.
 */
final class TravelSandbox extends Sandbox<TravelState> {
  static final String NAME = "travel";
  static final int MAX_BOOKINGS = 100;
  private static final String CODE = "^[A-Z]{3}$";
  private static final String CARD = "^CARD-[0-9]{4}$";
  private static final List<String[]> CITIES = List.of(new String[] {"San Francisco", "SFO"},
      new String[] {"New York", "JFK"}, new String[] {"Chicago", "ORD"}, new String[] {"Seattle", "SEA"},
      new String[] {"Boston", "BOS"}, new String[] {"Denver", "DEN"}, new String[] {"Miami", "MIA"},
      new String[] {"Austin", "AUS"}, new String[] {"London", "LHR"}, new String[] {"Paris", "CDG"},
      new String[] {"Tokyo", "HND"}, new String[] {"Toronto", "YYZ"});

  private final List<Operation<TravelState>> operations = List.of(
      Operation.of("get_airport_code", "Get the airport code of a city.",
          Params.of().string("city", "The city, e.g. Boston.", true, 60),
          (s, a) -> {
            String city = a.str("city");
            for (var e : s.airports().entrySet()) {
              if (e.getKey().equalsIgnoreCase(city)) {
                return new Operation.Outcome<>(s, obj().put("city", e.getKey()).put("code", e.getValue()));
              }
            }
            throw new SandboxError("no airport known for '" + city + "'");
          }),
      Operation.of("search_flights", "Find the flights between two airports.",
          Params.of().pattern("origin", "The departure airport code, e.g. SFO.", true, CODE)
              .pattern("destination", "The arrival airport code.", true, CODE),
          (s, a) -> {
            String from = a.str("origin");
            String to = a.str("destination");
            ArrayNode list = F.arrayNode();
            for (Flight f : s.flights()) {
              if (f.origin().equals(from) && f.destination().equals(to)) {
                list.addObject().put("flight_id", f.id()).put("departs", f.departs())
                    .put("price", Money.decimal(f.price())).put("cabin", f.cabin());
              }
            }
            ObjectNode r = obj();
            r.set("flights", list);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("book_flight", "Book a flight and pay with a card.",
          Params.of().pattern("flight_id", "The flight id, e.g. FL204.", true, "^FL[0-9]{3}$")
              .pattern("card_id", "The card to pay with, e.g. CARD-1234.", true, CARD),
          (s, a) -> {
            String fid = a.str("flight_id");
            String card = a.str("card_id");
            Flight f = s.flights().stream().filter(x -> x.id().equals(fid)).findFirst()
                .orElseThrow(() -> new SandboxError("flight '" + fid + "' not found"));
            Long credit = s.cards().get(card);
            if (credit == null) {
              throw new SandboxError("card '" + card + "' not found");
            }
            if (credit < f.price()) {
              throw new SandboxError("card " + card + " has only " + Money.words(credit) + " available");
            }
            if (s.bookings().size() >= MAX_BOOKINGS) {
              throw new SandboxError("too many bookings");
            }
            TreeMap<String, Long> cards = new TreeMap<>(s.cards());
            cards.put(card, credit - f.price());
            String id = String.format(Locale.ROOT, "BK%03d", s.bookings().size() + 1);
            List<Booking> bookings = new ArrayList<>(s.bookings());
            bookings.add(new Booking(id, fid, card, f.price(), "confirmed"));
            return new Operation.Outcome<>(s.with(cards, bookings), obj().put("booking_id", id)
                .put("status", "confirmed").put("price", Money.decimal(f.price()))
                .put("card_available", Money.decimal(credit - f.price())));
          }),
      Operation.of("cancel_booking", "Cancel a booking; the price goes back to the card.",
          Params.of().pattern("booking_id", "The booking id, e.g. BK001.", true, "^BK[0-9]{3}$"),
          (s, a) -> {
            String id = a.str("booking_id");
            List<Booking> bookings = new ArrayList<>(s.bookings());
            for (int i = 0; i < bookings.size(); i++) {
              Booking b = bookings.get(i);
              if (b.id().equals(id)) {
                if (!b.status().equals("confirmed")) {
                  throw new SandboxError("booking " + id + " is already " + b.status());
                }
                bookings.set(i, new Booking(b.id(), b.flight(), b.card(), b.price(), "cancelled"));
                TreeMap<String, Long> cards = new TreeMap<>(s.cards());
                cards.merge(b.card(), b.price(), Long::sum);
                return new Operation.Outcome<>(s.with(cards, bookings), obj().put("booking_id", id)
                    .put("status", "cancelled").put("refunded", Money.decimal(b.price())));
              }
            }
            throw new SandboxError("booking '" + id + "' not found");
          }),
      Operation.of("list_bookings", "List the bookings.", Params.none(), (s, a) -> {
        ArrayNode list = F.arrayNode();
        for (Booking b : s.bookings()) {
          list.addObject().put("booking_id", b.id()).put("flight_id", b.flight()).put("card_id", b.card())
              .put("price", Money.decimal(b.price())).put("status", b.status());
        }
        ObjectNode r = obj();
        r.set("bookings", list);
        return new Operation.Outcome<>(s, r);
      }),
      Operation.of("get_card_balance", "Get the available credit on a card.",
          Params.of().pattern("card_id", "The card id.", true, CARD),
          (s, a) -> {
            String card = a.str("card_id");
            Long credit = s.cards().get(card);
            if (credit == null) {
              throw new SandboxError("card '" + card + "' not found");
            }
            return new Operation.Outcome<>(s, obj().put("card_id", card).put("available", Money.decimal(credit)));
          }));

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "Travel booking: airport codes, flight search, bookings, cancellations and card balances.";
  }

  @Override
  Class<TravelState> stateType() {
    return TravelState.class;
  }

  @Override
  List<Operation<TravelState>> operations() {
    return operations;
  }

  @Override
  TravelState sample(SplittableRandom r) {
    List<String[]> cities = shuffled(CITIES, r).subList(0, 5 + r.nextInt(3));
    TreeMap<String, String> airports = new TreeMap<>();
    cities.forEach(c -> airports.put(c[0], c[1]));
    List<String> codes = cities.stream().map(c -> c[1]).toList();
    List<Flight> flights = new ArrayList<>();
    int next = 100 + r.nextInt(100);
    for (int routes = 0; routes < 8; routes++) {
      List<String> two = shuffled(codes, r).subList(0, 2);
      if (flights.stream().anyMatch(f -> f.origin().equals(two.get(0)) && f.destination().equals(two.get(1)))) {
        continue;
      }
      int n = 2 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        String cabin = r.nextInt(4) == 0 ? "business" : "economy";
        long price = 100L * ((cabin.equals("business") ? 400 : 80) + r.nextInt(500));
        String departs = String.format(Locale.ROOT, "2025-06-%02d %02d:%02d", 1 + r.nextInt(28), 6 + r.nextInt(15),
            5 * r.nextInt(12));
        flights.add(new Flight("FL" + (next++), two.get(0), two.get(1), departs, price, cabin));
      }
    }
    TreeMap<String, Long> cards = new TreeMap<>();
    int nCards = 1 + r.nextInt(3);
    while (cards.size() < nCards) {
      cards.put("CARD-" + (1000 + r.nextInt(9000)), 100L * (800 + r.nextInt(4000)));
    }
    List<Booking> bookings = new ArrayList<>();
    if (r.nextBoolean()) {
      Flight f = pick(r, flights);
      String card = cards.firstKey();
      bookings.add(new Booking("BK001", f.id(), card, f.price(), "confirmed"));
    }
    return new TravelState(airports, flights, cards, bookings);
  }

  @Override
  TravelState fromJson(JsonNode json) {
    return TravelState.fromJson(json);
  }

  private static String cityOf(TravelState s, String code) {
    return s.airports().entrySet().stream().filter(e -> e.getValue().equals(code)).map(java.util.Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  private final List<Intent.Template<TravelState>> intents = List.of(
      (s, r) -> {
        String city = pick(r, new ArrayList<>(s.airports().keySet()));
        return Optional.of(Intent.single("What is the airport code for " + city + "?",
            call("get_airport_code", "city", city)));
      },
      (s, r) -> {
        Flight f = pick(r, s.flights());
        return Optional.of(Intent.single(pick(r, "Find flights from " + f.origin() + " to " + f.destination() + ".",
            "Which flights go from " + f.origin() + " to " + f.destination() + "?"),
            call("search_flights", "origin", f.origin(), "destination", f.destination())));
      },
      (s, r) -> {
        Flight f = pick(r, s.flights());
        List<String> cards = s.cards().entrySet().stream().filter(e -> e.getValue() >= f.price())
            .map(java.util.Map.Entry::getKey).toList();
        if (cards.isEmpty()) {
          return Optional.empty();
        }
        String card = pick(r, cards);
        return Optional.of(Intent.single("Book flight " + f.id() + " and pay with " + card + ".",
            call("book_flight", "flight_id", f.id(), "card_id", card)).withholding("Book flight " + f.id()
                + " for me.", new Fact("card", List.of("card", "pay", "payment"), "Use card " + card + ".")));
      },
      (s, r) -> {
        List<Booking> open = s.bookings().stream().filter(b -> b.status().equals("confirmed")).toList();
        if (open.isEmpty()) {
          return Optional.empty();
        }
        Booking b = pick(r, open);
        return Optional.of(Intent.single("Cancel my booking " + b.id() + ".", call("cancel_booking", "booking_id",
            b.id())));
      },
      (s, r) -> {
        String card = pick(r, new ArrayList<>(s.cards().keySet()));
        return Optional.of(Intent.single("How much credit is left on " + card + "?",
            call("get_card_balance", "card_id", card)));
      },
      (s, r) -> Optional.of(Intent.single(pick(r, "What have I booked?", "List my bookings."),
          call("list_bookings"))),
      (s, r) -> {
        List<String> cities = shuffled(new ArrayList<>(s.airports().keySet()), r).subList(0, 2 + r.nextInt(2));
        return Optional.of(Intent.of("What are the airport codes of " + String.join(", ", cities) + "?",
            List.of(cities.stream().map(c -> call("get_airport_code", "city", c)).toList())));
      },
      (s, r) -> {
        Flight any = pick(r, s.flights());
        List<Flight> route = s.flights().stream().filter(f -> f.origin().equals(any.origin())
            && f.destination().equals(any.destination())).sorted(Comparator.comparingLong(Flight::price)).toList();
        if (route.size() > 1 && route.get(0).price() == route.get(1).price()) {
          return Optional.empty();
        }
        Flight cheapest = route.get(0);
        List<String> cards = s.cards().entrySet().stream().filter(e -> e.getValue() >= cheapest.price())
            .map(java.util.Map.Entry::getKey).toList();
        if (cards.isEmpty()) {
          return Optional.empty();
        }
        String card = pick(r, cards);
        String from = cityOf(s, any.origin());
        String to = cityOf(s, any.destination());
        return Optional.of(Intent.of("Book the cheapest flight from " + from + " to " + to + " with my card " + card
            + ".", List.of(List.of(call("get_airport_code", "city", from), call("get_airport_code", "city", to)),
            List.of(call("search_flights", "origin", any.origin(), "destination", any.destination())),
            List.of(call("book_flight", "flight_id", cheapest.id(), "card_id", card)))));
      });

  @Override
  List<Intent.Template<TravelState>> intents() {
    return intents;
  }
}
