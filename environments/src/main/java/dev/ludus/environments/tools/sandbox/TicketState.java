package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The support-ticket sandbox's state, after BFCL's {@code TicketAPI}: the tickets and the next id. Immutable.
 *
 * @param tickets every ticket, by id
 * @param nextId the id of the next ticket
 */
public record TicketState(List<Ticket> tickets, int nextId) implements SandboxState {
  public TicketState {
    tickets = List.copyOf(tickets);
  }

  /** A ticket; priority {@code low|medium|high}, status {@code open|resolved|closed}. */
  public record Ticket(int id, String title, String description, String priority, String status, String resolution) {
    public Ticket {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(priority, "priority");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(resolution, "resolution");
    }

    Ticket with(String newPriority, String newStatus, String newResolution) {
      return new Ticket(id, title, description, newPriority, newStatus, newResolution);
    }
  }

  @Override
  public String sandbox() {
    return TicketSandbox.NAME;
  }

  @Override
  public JsonNode toJson() {
    ObjectNode out = publicJson().deepCopy();
    out.put("next_id", nextId);
    return out;
  }

  @Override
  public JsonNode publicJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("tickets");
    for (Ticket t : tickets) {
      list.add(json(t));
    }
    return out;
  }

  static ObjectNode json(Ticket t) {
    return JsonNodeFactory.instance.objectNode().put("id", t.id()).put("title", t.title())
        .put("description", t.description()).put("priority", t.priority()).put("status", t.status())
        .put("resolution", t.resolution());
  }

  static TicketState fromJson(JsonNode json) {
    List<Ticket> tickets = new ArrayList<>();
    int max = 0;
    for (JsonNode t : json.path("tickets")) {
      Ticket ticket = new Ticket(t.path("id").asInt(), t.path("title").asText(), t.path("description").asText(),
          t.path("priority").asText("medium"), t.path("status").asText("open"), t.path("resolution").asText(""));
      tickets.add(ticket);
      max = Math.max(max, ticket.id());
    }
    return new TicketState(tickets, json.path("next_id").asInt(max + 1));
  }
}
