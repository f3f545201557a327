package dev.ludus.environments.sql;

import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.category;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.date;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.id;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.integer;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.name;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.real;
import static dev.ludus.environments.sql.DomainSpec.ColumnSpec.reference;

import dev.ludus.environments.sql.DomainSpec.Ratio;
import dev.ludus.environments.sql.DomainSpec.TableSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The five domain templates: schools, retail, flights, clinic and league. Each has three or four tables tied
 * by foreign keys, NULLs in some columns, dates stored as text, column names that need quoting
 * ({@code "Enrollment (K-12)"}, {@code "Unit Price"}) as BIRD's have, and skewed categories. Constants only.
 */
final class Domains {
  private Domains() {}

  private static final List<String> FIRST = List.of("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo",
      "Iris", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar",
      "Vera", "Wen", "Xavi", "Yara", "Zoe");
  private static final List<String> LAST = List.of("Abbott", "Baker", "Castro", "Diaz", "Evans", "Fischer", "Garcia",
      "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi",
      "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz", "Zhang");
  private static final List<String> PLACES = List.of("Oak", "Pine", "Maple", "River", "Lake", "Hill", "Cedar",
      "Willow", "Sunset", "Harbor", "Granite", "Meadow", "Valley", "Summit", "Brook", "Aspen", "Redwood", "Bay");

  static final DomainSpec SCHOOLS = new DomainSpec("schools", List.of(
      new TableSpec("districts", "district", "districts", List.of(
          id("district_id"),
          name("name", PLACES, List.of("Unified", "School District", "Union")),
          category("county", "county", 0, "Alameda", "Fresno", "Kern", "Marin", "Placer", "Sonoma")),
          4, 8, null),
      new TableSpec("schools", "school", "schools", List.of(
          id("school_id"),
          name("name", PLACES, List.of("Elementary", "Middle School", "High School", "Academy", "Charter School")),
          reference("district_id", "districts", "district", "schools"),
          category("city", "city", 0, "Oakland", "Fresno", "Bakersfield", "Berkeley", "Salinas", "Modesto"),
          category("type", "type", 0.1, "Elementary", "Middle", "High", "Charter"),
          integer("Enrollment (K-12)", "enrollment", 300, 2400, 0),
          integer("Free Meal Count (K-12)", "free meal count", 20, 280, 0.15),
          date("Open Date", "opening date", 1990, 2022)),
          12, 30, new Ratio("Free Meal Count (K-12)", "Enrollment (K-12)", "free meal rate")),
      new TableSpec("teachers", "teacher", "teachers", List.of(
          id("teacher_id"),
          name("name", FIRST, LAST),
          reference("school_id", "schools", "school", "teachers"),
          category("subject", "subject", 0, "Math", "English", "Science", "History", "Art", "Music"),
          date("hire_date", "hire date", 2000, 2024),
          integer("salary", "salary", 42000, 98000, 0.1)),
          25, 60, null)));

  static final DomainSpec RETAIL = new DomainSpec("retail", List.of(
      new TableSpec("customers", "customer", "customers", List.of(
          id("customer_id"),
          name("name", FIRST, LAST),
          category("city", "city", 0, "Lyon", "Porto", "Leeds", "Graz", "Turin", "Ghent"),
          category("segment", "segment", 0.1, "Consumer", "Corporate", "Home Office"),
          date("Signup Date", "signup date", 2018, 2024)),
          15, 35, null),
      new TableSpec("products", "product", "products", List.of(
          id("product_id"),
          name("name", List.of("Swift", "Cozy", "Bright", "Sturdy", "Tiny", "Grand", "Smart", "Classic", "Silver"),
              List.of("Kettle", "Lamp", "Chair", "Shovel", "Notebook", "Puzzle", "Racket", "Blender", "Backpack")),
          category("category", "category", 0, "Kitchen", "Garden", "Office", "Toys", "Sports"),
          real("Unit Price", "unit price", 2.5, 180, 0),
          integer("stock", "stock", 0, 400, 0.15)),
          10, 25, null),
      new TableSpec("orders", "order", "orders", List.of(
          id("order_id"),
          reference("customer_id", "customers", "customer", "orders"),
          reference("product_id", "products", "product", "orders"),
          integer("quantity", "quantity", 1, 12, 0),
          date("order_date", "order date", 2021, 2024),
          category("status", "status", 0, "shipped", "pending", "cancelled", "returned")),
          40, 90, null)));

  static final DomainSpec FLIGHTS = new DomainSpec("flights", List.of(
      new TableSpec("airports", "airport", "airports", List.of(
          id("airport_id"),
          name("name", List.of("Northfield", "Eastport", "Westlake", "Southgate", "Kingsbury", "Fairview", "Clearwater",
              "Stonebridge", "Rockford", "Ashford"), List.of("International", "Regional", "Municipal")),
          category("city", "city", 0, "Toronto", "Monterrey", "Lima", "Santiago", "Madrid", "Quito"),
          category("country", "country", 0, "Canada", "Mexico", "Peru", "Chile", "Spain", "Ecuador")),
          6, 10, null),
      new TableSpec("airlines", "airline", "airlines", List.of(
          id("airline_id"),
          name("name", List.of("Aero", "Sky", "Blue", "North", "Sun", "Coast", "Star", "Polar"),
              List.of("Air", "Airways", "Airlines", "Jet")),
          category("country", "country", 0, "Canada", "Mexico", "Peru", "Chile", "Spain"),
          integer("Fleet Size", "fleet size", 8, 240, 0)),
          4, 8, null),
      new TableSpec("flights", "flight", "flights", List.of(
          id("flight_id"),
          reference("airline_id", "airlines", "airline", "flights"),
          reference("origin_id", "airports", "origin airport", "departing flights"),
          reference("destination_id", "airports", "destination airport", "arriving flights"),
          date("Departure Date", "departure date", 2022, 2024),
          integer("Distance (km)", "distance in km", 180, 9800, 0),
          integer("Delay Minutes", "delay in minutes", 0, 240, 0.2)),
          40, 90, new Ratio("Delay Minutes", "Distance (km)", "delay minutes per km"))));

  static final DomainSpec CLINIC = new DomainSpec("clinic", List.of(
      new TableSpec("doctors", "doctor", "doctors", List.of(
          id("doctor_id"),
          name("name", FIRST, LAST),
          category("specialty", "specialty", 0, "Cardiology", "Dermatology", "Neurology", "Pediatrics", "Oncology"),
          integer("Years Experience", "years of experience", 1, 38, 0)),
          6, 12, null),
      new TableSpec("patients", "patient", "patients", List.of(
          id("patient_id"),
          name("name", FIRST, LAST),
          category("city", "city", 0, "Dublin", "Cork", "Galway", "Limerick", "Sligo"),
          date("birth_date", "birth date", 1940, 2015),
          category("Blood Type", "blood type", 0.2, "O+", "A+", "B+", "AB+", "O-", "A-")),
          20, 45, null),
      new TableSpec("appointments", "appointment", "appointments", List.of(
          id("appointment_id"),
          reference("patient_id", "patients", "patient", "appointments"),
          reference("doctor_id", "doctors", "doctor", "appointments"),
          date("appointment_date", "appointment date", 2023, 2024),
          real("fee", "fee", 40, 420, 0),
          category("diagnosis", "diagnosis", 0.25, "flu", "migraine", "rash", "fracture", "checkup")),
          40, 90, null)));

  static final DomainSpec LEAGUE = new DomainSpec("league", List.of(
      new TableSpec("teams", "team", "teams", List.of(
          id("team_id"),
          name("name", List.of("Boston", "Denver", "Austin", "Tacoma", "Omaha", "Reno", "Tulsa", "Fresno", "Dayton"),
              List.of("Falcons", "Rovers", "United", "Comets", "Miners", "Wolves")),
          category("city", "city", 0, "Boston", "Denver", "Austin", "Tacoma", "Omaha"),
          integer("founded", "founding year", 1880, 2005, 0)),
          6, 10, null),
      new TableSpec("players", "player", "players", List.of(
          id("player_id"),
          name("name", FIRST, LAST),
          reference("team_id", "teams", "team", "players"),
          category("position", "position", 0, "Goalkeeper", "Defender", "Midfielder", "Forward"),
          integer("Jersey Number", "jersey number", 1, 99, 0),
          date("birth_date", "birth date", 1988, 2006),
          integer("Goals Scored", "goals scored", 0, 35, 0.15)),
          30, 70, null),
      new TableSpec("matches", "match", "matches", List.of(
          id("match_id"),
          reference("home_team_id", "teams", "home team", "home matches"),
          reference("away_team_id", "teams", "away team", "away matches"),
          date("match_date", "match date", 2023, 2024),
          integer("home_goals", "home goals", 0, 6, 0),
          integer("away_goals", "away goals", 0, 6, 0),
          integer("attendance", "attendance", 2000, 65000, 0.2)),
          25, 60, new Ratio("home_goals", "away_goals", "ratio of home goals to away goals"))));

  /** Every domain, in order. */
  static final List<DomainSpec> ALL = List.of(SCHOOLS, RETAIL, FLIGHTS, CLINIC, LEAGUE);

  /** The domains by name. */
  static final Map<String, DomainSpec> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(DomainSpec::name, Function.identity()));
}
