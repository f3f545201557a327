package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import dev.ludus.environments.tools.sandbox.TicketState.Ticket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Support tickets, after BFCL's {@code TicketAPI}: create, read, list by status, change the priority, resolve
 * with a note, close. Bounded: at most {@value #MAX_TICKETS} tickets. Stateless; the state is a
 * {@link TicketState}.
 */
final class TicketSandbox extends Sandbox<TicketState> {
  static final String NAME = "tickets";
  static final int MAX_TICKETS = 200;

  private final List<Operation<TicketState>> operations = List.of(
      Operation.of("create_ticket", "Create a support ticket.",
          Params.of().string("title", "A short title.", true, 100)
              .string("description", "What the problem is.", true, 500)
              .choice("priority", "low, medium or high.", false, "low", "medium", "high")
              .withDefault("priority", F.textNode("medium")),
          (s, a) -> {
            if (s.tickets().size() >= MAX_TICKETS) {
              throw new SandboxError("too many tickets");
            }
            Ticket t = new Ticket(s.nextId(), a.str("title"), a.str("description"),
                a.optStr("priority").orElse("medium"), "open", "");
            List<Ticket> list = new ArrayList<>(s.tickets());
            list.add(t);
            return new Operation.Outcome<>(new TicketState(list, s.nextId() + 1), TicketState.json(t));
          }),
      Operation.of("get_ticket", "Get a ticket by id.",
          Params.of().integer("ticket_id", "The ticket id.", true, 1, 1_000_000),
          (s, a) -> new Operation.Outcome<>(s, TicketState.json(ticket(s, a.integer("ticket_id"))))),
      Operation.of("list_tickets", "List the tickets with a status.",
          Params.of().choice("status", "open, resolved or closed.", true, "open", "resolved", "closed"),
          (s, a) -> {
            String status = a.str("status");
            ArrayNode list = F.arrayNode();
            for (Ticket t : s.tickets()) {
              if (t.status().equals(status)) {
                list.addObject().put("id", t.id()).put("title", t.title()).put("priority", t.priority());
              }
            }
            ObjectNode r = obj();
            r.set("tickets", list);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("set_priority", "Change a ticket's priority.",
          Params.of().integer("ticket_id", "The ticket id.", true, 1, 1_000_000)
              .choice("priority", "low, medium or high.", true, "low", "medium", "high"),
          (s, a) -> {
            Ticket t = ticket(s, a.integer("ticket_id"));
            return replace(s, t.with(a.str("priority"), t.status(), t.resolution()));
          }),
      Operation.of("resolve_ticket", "Mark a ticket resolved, with a note on how.",
          Params.of().integer("ticket_id", "The ticket id.", true, 1, 1_000_000)
              .string("resolution", "How it was resolved.", true, 500),
          (s, a) -> {
            Ticket t = ticket(s, a.integer("ticket_id"));
            if (!t.status().equals("open")) {
              throw new SandboxError("ticket " + t.id() + " is " + t.status() + ", not open");
            }
            return replace(s, t.with(t.priority(), "resolved", a.str("resolution")));
          }),
      Operation.of("close_ticket", "Close a ticket.",
          Params.of().integer("ticket_id", "The ticket id.", true, 1, 1_000_000),
          (s, a) -> {
            Ticket t = ticket(s, a.integer("ticket_id"));
            if (t.status().equals("closed")) {
              throw new SandboxError("ticket " + t.id() + " is already closed");
            }
            return replace(s, t.with(t.priority(), "closed", t.resolution()));
          }));

  private static Ticket ticket(TicketState s, long id) {
    return s.tickets().stream().filter(t -> t.id() == id).findFirst()
        .orElseThrow(() -> new SandboxError("ticket " + id + " not found"));
  }

  private static Operation.Outcome<TicketState> replace(TicketState s, Ticket t) {
    List<Ticket> list = new ArrayList<>(s.tickets());
    list.replaceAll(x -> x.id() == t.id() ? t : x);
    return new Operation.Outcome<>(new TicketState(list, s.nextId()), TicketState.json(t));
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "Support tickets: create, read, list, prioritise, resolve and close.";
  }

  @Override
  Class<TicketState> stateType() {
    return TicketState.class;
  }

  @Override
  List<Operation<TicketState>> operations() {
    return operations;
  }

  private static final List<String> PRIORITIES = List.of("low", "medium", "high");

  @Override
  TicketState sample(SplittableRandom r) {
    List<Ticket> tickets = new ArrayList<>();
    int n = 2 + r.nextInt(5);
    int id = 100 + r.nextInt(800);
    List<String> topics = shuffled(Words.TOPICS, r);
    for (int i = 0; i < n; i++) {
      String topic = topics.get(i);
      String status = pick(r, "open", "open", "resolved", "closed");
      tickets.add(new Ticket(id + i, topic + " not working", "The " + topic + " stopped working this morning.",
          pick(r, PRIORITIES), status, status.equals("open") ? "" : "restarted the " + topic));
    }
    return new TicketState(tickets, id + n);
  }

  @Override
  TicketState fromJson(JsonNode json) {
    return TicketState.fromJson(json);
  }

  private static List<Ticket> open(TicketState s) {
    return s.tickets().stream().filter(t -> t.status().equals("open")).toList();
  }

  private final List<Intent.Template<TicketState>> intents = List.of(
      (s, r) -> {
        String topic = pick(r, Words.TOPICS);
        String priority = pick(r, PRIORITIES);
        String title = topic + " issue";
        String description = "My " + topic + " keeps failing since yesterday.";
        return Optional.of(Intent.single("Open a " + priority + " priority ticket titled '" + title
            + "' with the description '" + description + "'.",
            call("create_ticket", "title", title, "description", description, "priority", priority))
            .withholding("Open a " + priority + " priority ticket titled '" + title + "'.",
                new Fact("description", List.of("description", "describe", "problem", "detail"),
                    "The description is: " + description)));
      },
      (s, r) -> {
        Ticket t = pick(r, s.tickets());
        return Optional.of(Intent.single(pick(r, "Show me ticket " + t.id() + ".", "What is the status of ticket "
            + t.id() + "?"), call("get_ticket", "ticket_id", t.id())));
      },
      (s, r) -> {
        String status = pick(r, "open", "resolved", "closed");
        return Optional.of(Intent.single("List my " + status + " tickets.", call("list_tickets", "status", status)));
      },
      (s, r) -> {
        List<Ticket> open = open(s);
        if (open.isEmpty()) {
          return Optional.empty();
        }
        Ticket t = pick(r, open);
        String note = pick(r, "replaced the cable", "reset the password", "updated the driver", "rebooted it");
        return Optional.of(Intent.single("Resolve ticket " + t.id() + " with the note '" + note + "'.",
            call("resolve_ticket", "ticket_id", t.id(), "resolution", note)).withholding("Mark ticket " + t.id()
                + " as resolved.", new Fact("resolution", List.of("resolution", "resolve", "note", "how"),
                "Note that I " + note + ".")));
      },
      (s, r) -> {
        List<Ticket> notClosed = s.tickets().stream().filter(t -> !t.status().equals("closed")).toList();
        if (notClosed.isEmpty()) {
          return Optional.empty();
        }
        Ticket t = pick(r, notClosed);
        return Optional.of(Intent.single("Close ticket " + t.id() + ".", call("close_ticket", "ticket_id", t.id())));
      },
      (s, r) -> {
        Ticket t = pick(r, s.tickets());
        String p = pick(r, PRIORITIES.stream().filter(x -> !x.equals(t.priority())).toList());
        return Optional.of(Intent.single("Set the priority of ticket " + t.id() + " to " + p + ".",
            call("set_priority", "ticket_id", t.id(), "priority", p)));
      },
      (s, r) -> {
        List<Ticket> two = shuffled(s.tickets(), r).subList(0, 2);
        return Optional.of(Intent.of("Show me tickets " + two.get(0).id() + " and " + two.get(1).id() + ".",
            List.of(two.stream().map(t -> call("get_ticket", "ticket_id", t.id())).toList())));
      },
      (s, r) -> {
        List<Ticket> open = shuffled(s.tickets().stream().filter(t -> !t.status().equals("closed")).toList(), r);
        if (open.size() < 2) {
          return Optional.empty();
        }
        return Optional.of(Intent.of("Close tickets " + open.get(0).id() + " and " + open.get(1).id() + ".",
            List.of(List.of(call("close_ticket", "ticket_id", open.get(0).id()),
                call("close_ticket", "ticket_id", open.get(1).id())))));
      });

  @Override
  List<Intent.Template<TicketState>> intents() {
    return intents;
  }
}
