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
 * The messaging sandbox's state, after BFCL's {@code MessageAPI}: the users by name with their ids, the
 * signed-in user, and the messages sent and received. Immutable.
 *
 * @param users user name to id, e.g. {@code Alice -> USR002}
 * @param me the signed-in user's id
 * @param messages every message, oldest first
 * @param nextId the id the next message gets
 */
public record MessagingState(SortedMap<String, String> users, String me, List<Message> messages, int nextId)
    implements SandboxState {
  public MessagingState {
    users = Collections.unmodifiableSortedMap(new TreeMap<>(users));
    Objects.requireNonNull(me, "me");
    messages = List.copyOf(messages);
  }

  /** One message. */
  public record Message(int id, String sender, String receiver, String text) {
    public Message {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(receiver, "receiver");
      Objects.requireNonNull(text, "text");
    }
  }

  @Override
  public String sandbox() {
    return MessagingSandbox.NAME;
  }

  MessagingState withMessages(List<Message> next, int id) {
    return new MessagingState(users, me, next, id);
  }

  MessagingState send(String receiver, String text) {
    List<Message> next = new ArrayList<>(messages);
    next.add(new Message(nextId, me, receiver, text));
    return new MessagingState(users, me, next, nextId + 1);
  }

  @Override
  public JsonNode toJson() {
    ObjectNode out = publicJson().deepCopy();
    out.put("next_id", nextId);
    return out;
  }

  @Override
  public JsonNode publicJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    ObjectNode u = out.putObject("users");
    users.forEach(u::put);
    out.put("me", me);
    ArrayNode m = out.putArray("messages");
    for (Message msg : messages) {
      m.addObject().put("id", msg.id()).put("sender", msg.sender()).put("receiver", msg.receiver())
          .put("text", msg.text());
    }
    return out;
  }

  static MessagingState fromJson(JsonNode json) {
    TreeMap<String, String> users = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("users").properties()) {
      users.put(e.getKey(), e.getValue().asText());
    }
    List<Message> messages = new ArrayList<>();
    int max = 0;
    for (JsonNode m : json.path("messages")) {
      Message msg = new Message(m.path("id").asInt(), m.path("sender").asText(), m.path("receiver").asText(),
          m.path("text").asText());
      messages.add(msg);
      max = Math.max(max, msg.id());
    }
    String me = json.path("me").asText(null);
    if (me == null) {
      throw new IllegalArgumentException("a messaging state needs 'me', the signed-in user's id");
    }
    return new MessagingState(users, me, messages, json.path("next_id").asInt(max + 1));
  }
}
