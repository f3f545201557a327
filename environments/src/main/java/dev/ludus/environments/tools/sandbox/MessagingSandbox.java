package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import dev.ludus.environments.tools.sandbox.MessagingState.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Messaging between users, after BFCL's {@code MessageAPI}: list users, look up an id, send, view what was sent,
 * delete the latest message to someone, search, add a contact. Bounded: at most {@value #MAX_MESSAGES} messages
 * and {@value #MAX_USERS} users. Stateless; the state is a {@link MessagingState}.
 */
final class MessagingSandbox extends Sandbox<MessagingState> {
  static final String NAME = "messages";
  static final int MAX_MESSAGES = 200;
  static final int MAX_USERS = 40;
  private static final String USER_ID = "^USR[0-9]{3}$";

  private final List<Operation<MessagingState>> operations = List.of(
      Operation.of("list_users", "List the names of all users.", Params.none(), (s, a) -> {
        ArrayNode names = F.arrayNode();
        s.users().keySet().forEach(names::add);
        ObjectNode r = obj();
        r.set("user_list", names);
        return new Operation.Outcome<>(s, r);
      }),
      Operation.of("get_user_id", "Get the user id of a user by name.",
          Params.of().string("user", "The user's name.", true, 40),
          (s, a) -> {
            String name = a.str("user");
            String id = s.users().get(name);
            if (id == null) {
              throw new SandboxError("user '" + name + "' not found");
            }
            return new Operation.Outcome<>(s, obj().put("user_id", id));
          }),
      Operation.of("send_message", "Send a message to a user by id.",
          Params.of().pattern("receiver_id", "The receiver's user id, e.g. USR002.", true, USER_ID)
              .string("message", "The message text.", true, 500),
          (s, a) -> {
            String to = a.str("receiver_id");
            if (!s.users().containsValue(to)) {
              throw new SandboxError("receiver id '" + to + "' not found");
            }
            if (s.messages().size() >= MAX_MESSAGES) {
              throw new SandboxError("the mailbox is full (" + MAX_MESSAGES + " messages)");
            }
            MessagingState next = s.send(to, a.str("message"));
            return new Operation.Outcome<>(next, obj().put("sent_status", true).put("message_id", s.nextId()));
          }),
      Operation.of("view_messages_sent", "View the messages the signed-in user sent, by receiver id.",
          Params.none(), (s, a) -> {
            ObjectNode by = obj();
            for (Message m : s.messages()) {
              if (m.sender().equals(s.me())) {
                ArrayNode list = by.has(m.receiver()) ? (ArrayNode) by.get(m.receiver()) : by.putArray(m.receiver());
                list.add(m.text());
              }
            }
            ObjectNode r = obj();
            r.set("messages", by);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("delete_message", "Delete the latest message sent to a user.",
          Params.of().pattern("receiver_id", "The receiver's user id.", true, USER_ID),
          (s, a) -> {
            String to = a.str("receiver_id");
            List<Message> next = new ArrayList<>(s.messages());
            for (int i = next.size() - 1; i >= 0; i--) {
              Message m = next.get(i);
              if (m.sender().equals(s.me()) && m.receiver().equals(to)) {
                next.remove(i);
                return new Operation.Outcome<>(s.withMessages(next, s.nextId()),
                    obj().put("deleted_status", true).put("message_id", m.id()));
              }
            }
            throw new SandboxError("no message sent to '" + to + "' to delete");
          }),
      Operation.of("search_messages", "Find the messages sent or received that contain a keyword.",
          Params.of().string("keyword", "The keyword, case-insensitive.", true, 100),
          (s, a) -> {
            String k = a.str("keyword").toLowerCase(Locale.ROOT);
            ArrayNode hits = F.arrayNode();
            for (Message m : s.messages()) {
              if (m.text().toLowerCase(Locale.ROOT).contains(k)) {
                hits.addObject().put("id", m.id()).put("sender_id", m.sender()).put("receiver_id", m.receiver())
                    .put("message", m.text());
              }
            }
            ObjectNode r = obj();
            r.set("results", hits);
            return new Operation.Outcome<>(s, r);
          }),
      Operation.of("add_contact", "Add a new user to the contacts; they get a new user id.",
          Params.of().string("user_name", "The new contact's name.", true, 40),
          (s, a) -> {
            String name = a.str("user_name");
            if (s.users().containsKey(name)) {
              throw new SandboxError("user '" + name + "' already exists");
            }
            if (s.users().size() >= MAX_USERS) {
              throw new SandboxError("the contact list is full (" + MAX_USERS + " users)");
            }
            TreeMap<String, String> users = new TreeMap<>(s.users());
            String id = String.format(Locale.ROOT, "USR%03d", nextUserNumber(s));
            users.put(name, id);
            return new Operation.Outcome<>(new MessagingState(users, s.me(), s.messages(), s.nextId()),
                obj().put("added_status", true).put("user_id", id));
          }));

  private static int nextUserNumber(MessagingState s) {
    int max = 0;
    for (String id : s.users().values()) {
      max = Math.max(max, Integer.parseInt(id.substring(3)));
    }
    return max + 1;
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "Messaging: look up users, send, view, search and delete messages, add contacts.";
  }

  @Override
  Class<MessagingState> stateType() {
    return MessagingState.class;
  }

  @Override
  List<Operation<MessagingState>> operations() {
    return operations;
  }

  @Override
  MessagingState sample(SplittableRandom r) {
    List<String> people = shuffled(Words.PEOPLE, r).subList(0, 5 + r.nextInt(4));
    TreeMap<String, String> users = new TreeMap<>();
    for (int i = 0; i < people.size(); i++) {
      users.put(people.get(i), String.format(Locale.ROOT, "USR%03d", i + 1));
    }
    String me = users.get(people.get(0));
    List<Message> messages = new ArrayList<>();
    int n = 2 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String other = users.get(people.get(1 + r.nextInt(people.size() - 1)));
      boolean sent = r.nextBoolean();
      messages.add(new Message(i + 1, sent ? me : other, sent ? other : me, pick(r, Words.SHORT_TEXTS)));
    }
    return new MessagingState(users, me, messages, n + 1);
  }

  @Override
  MessagingState fromJson(JsonNode json) {
    return MessagingState.fromJson(json);
  }

  private static List<String> others(MessagingState s) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : s.users().entrySet()) {
      if (!e.getValue().equals(s.me())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private final List<Intent.Template<MessagingState>> intents = List.of(
      (s, r) -> {
        String name = pick(r, others(s));
        String id = s.users().get(name);
        String text = pick(r, Words.SHORT_TEXTS);
        return Optional.of(Intent.single("Send the message '" + text + "' to user " + id + ".",
            call("send_message", "receiver_id", id, "message", text)).withholding(
            "I want to send a message to user " + id + ".",
            new Fact("message", List.of("message", "say", "text", "write"), "Write: " + text)));
      },
      (s, r) -> {
        String name = pick(r, others(s));
        return Optional.of(Intent.single(pick(r, "What is " + name + "'s user id?", "Look up the user id of "
            + name + "."), call("get_user_id", "user", name)));
      },
      (s, r) -> {
        List<String> to = s.messages().stream().filter(m -> m.sender().equals(s.me())).map(Message::receiver)
            .distinct().toList();
        if (to.isEmpty()) {
          return Optional.empty();
        }
        String id = pick(r, to);
        return Optional.of(Intent.single("Delete the last message I sent to " + id + ".",
            call("delete_message", "receiver_id", id)));
      },
      (s, r) -> {
        if (s.messages().isEmpty()) {
          return Optional.empty();
        }
        String word = pick(r, s.messages()).text().split(" ")[0];
        return Optional.of(Intent.single(pick(r, "Find my messages that mention '" + word + "'.",
            "Search my messages for '" + word + "'."), call("search_messages", "keyword", word)));
      },
      (s, r) -> {
        List<String> fresh = Words.PEOPLE.stream().filter(p -> !s.users().containsKey(p)).toList();
        if (fresh.isEmpty()) {
          return Optional.empty();
        }
        String name = pick(r, fresh);
        return Optional.of(Intent.single("Add " + name + " to my contacts.", call("add_contact", "user_name", name))
            .withholding("Add a new person to my contacts.",
                new Fact("contact name", List.of("name", "who"), "Their name is " + name + ".")));
      },
      (s, r) -> Optional.of(Intent.single(pick(r, "Who can I message? List the users.", "List all the users."),
          call("list_users"))),
      (s, r) -> {
        String name = pick(r, others(s));
        String id = s.users().get(name);
        String text = pick(r, Words.SHORT_TEXTS);
        return Optional.of(Intent.of("Send '" + text + "' to " + name + ".",
            List.of(List.of(call("get_user_id", "user", name)),
                List.of(call("send_message", "receiver_id", id, "message", text)))));
      },
      (s, r) -> {
        List<String> names = shuffled(others(s), r).subList(0, 2 + r.nextInt(2));
        return Optional.of(Intent.of("What are the user ids of " + String.join(" and ", names) + "?",
            List.of(names.stream().map(n -> call("get_user_id", "user", n)).toList())));
      },
      (s, r) -> {
        List<String> names = shuffled(others(s), r).subList(0, 2);
        String text = pick(r, Words.SHORT_TEXTS);
        List<String> ids = names.stream().map(s.users()::get).toList();
        return Optional.of(Intent.of("Send '" + text + "' to both " + ids.get(0) + " and " + ids.get(1) + ".",
            List.of(ids.stream().map(id -> call("send_message", "receiver_id", id, "message", text)).toList())));
      });

  @Override
  List<Intent.Template<MessagingState>> intents() {
    return intents;
  }
}
