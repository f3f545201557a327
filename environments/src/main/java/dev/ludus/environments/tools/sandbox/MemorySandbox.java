package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A key-value memory, after BFCL's {@code MemoryAPI}: store, retrieve, delete, list keys, search values. Bounded:
 * at most {@value #MAX_ENTRIES} entries. Stateless; the state is a {@link MemoryState}.
 */
final class MemorySandbox extends Sandbox<MemoryState> {
  static final String NAME = "memory";
  static final int MAX_ENTRIES = 100;
  private static final String KEY = "^[a-z][a-z0-9_]{0,39}$";

  private final List<Operation<MemoryState>> operations = List.of(
      Operation.of("memory_store", "Store a value under a key (replacing what was there).",
          Params.of().pattern("key", "The key: lower case letters, digits and underscores.", true, KEY)
              .string("value", "The value to remember.", true, 500),
          (s, a) -> {
            String key = a.str("key");
            if (!s.entries().containsKey(key) && s.entries().size() >= MAX_ENTRIES) {
              throw new SandboxError("the memory is full (" + MAX_ENTRIES + " entries)");
            }
            TreeMap<String, String> m = new TreeMap<>(s.entries());
            boolean replaced = m.put(key, a.str("value")) != null;
            return new Operation.Outcome<>(new MemoryState(m), obj().put("stored", key).put("replaced", replaced));
          }),
      Operation.of("memory_retrieve", "Get the value stored under a key.",
          Params.of().pattern("key", "The key.", true, KEY),
          (s, a) -> {
            String key = a.str("key");
            String v = s.entries().get(key);
            if (v == null) {
              throw new SandboxError("nothing is stored under '" + key + "'");
            }
            return new Operation.Outcome<>(s, obj().put("key", key).put("value", v));
          }),
      Operation.of("memory_delete", "Delete a key and its value.",
          Params.of().pattern("key", "The key.", true, KEY),
          (s, a) -> {
            String key = a.str("key");
            if (!s.entries().containsKey(key)) {
              throw new SandboxError("nothing is stored under '" + key + "'");
            }
            TreeMap<String, String> m = new TreeMap<>(s.entries());
            m.remove(key);
            return new Operation.Outcome<>(new MemoryState(m), obj().put("deleted", key));
          }),
      Operation.of("memory_list_keys", "List the stored keys.", Params.none(), (s, a) -> {
        ArrayNode keys = F.arrayNode();
        s.entries().keySet().forEach(keys::add);
        ObjectNode r = obj();
        r.set("keys", keys);
        return new Operation.Outcome<>(s, r);
      }),
      Operation.of("memory_search", "Find the entries whose key or value contains a text (case-insensitive).",
          Params.of().string("query", "The text to look for.", true, 100),
          (s, a) -> {
            String q = a.str("query").toLowerCase(Locale.ROOT);
            ObjectNode hits = obj();
            for (Map.Entry<String, String> e : s.entries().entrySet()) {
              if (e.getKey().toLowerCase(Locale.ROOT).contains(q) || e.getValue().toLowerCase(Locale.ROOT).contains(q)) {
                hits.put(e.getKey(), e.getValue());
              }
            }
            ObjectNode r = obj();
            r.set("matches", hits);
            return new Operation.Outcome<>(s, r);
          }));

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "A key-value memory: store, retrieve, delete, list and search notes.";
  }

  @Override
  Class<MemoryState> stateType() {
    return MemoryState.class;
  }

  @Override
  List<Operation<MemoryState>> operations() {
    return operations;
  }

  @Override
  MemoryState sample(SplittableRandom r) {
    TreeMap<String, String> m = new TreeMap<>();
    List<String> keys = shuffled(Words.MEMORY_KEYS, r);
    List<String> values = shuffled(Words.MEMORY_VALUES, r);
    int n = 2 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      m.put(keys.get(i), values.get(i));
    }
    return new MemoryState(m);
  }

  @Override
  MemoryState fromJson(JsonNode json) {
    return MemoryState.fromJson(json);
  }

  private static String words(String key) {
    return key.replace('_', ' ');
  }

  private final List<Intent.Template<MemoryState>> intents = List.of(
      (s, r) -> {
        List<String> free = Words.MEMORY_KEYS.stream().filter(k -> !s.entries().containsKey(k)).toList();
        if (free.isEmpty()) {
          return Optional.empty();
        }
        String key = pick(r, free);
        String value = pick(r, Words.MEMORY_VALUES);
        return Optional.of(Intent.single("Remember that my " + words(key) + " is " + value + " (key " + key + ").",
            call("memory_store", "key", key, "value", value)).withholding("Remember my " + words(key)
                + " under the key " + key + ".", new Fact("value", List.of("what is", "value", "what's", words(key)),
                "It's " + value + ".")));
      },
      (s, r) -> {
        if (s.entries().isEmpty()) {
          return Optional.empty();
        }
        String key = pick(r, new ArrayList<>(s.entries().keySet()));
        return Optional.of(Intent.single(pick(r, "What did I store under " + key + "?", "Look up " + key
            + " in my memory."), call("memory_retrieve", "key", key)));
      },
      (s, r) -> {
        if (s.entries().isEmpty()) {
          return Optional.empty();
        }
        String key = pick(r, new ArrayList<>(s.entries().keySet()));
        return Optional.of(Intent.single("Forget the entry " + key + ".", call("memory_delete", "key", key)));
      },
      (s, r) -> Optional.of(Intent.single(pick(r, "What keys do I have in memory?", "List my memory keys."),
          call("memory_list_keys"))),
      (s, r) -> {
        if (s.entries().isEmpty()) {
          return Optional.empty();
        }
        String value = pick(r, new ArrayList<>(s.entries().values()));
        String q = value.split("[ ,.]")[0];
        if (q.length() < 2) {
          return Optional.empty();
        }
        return Optional.of(Intent.single("Search my memory for '" + q + "'.", call("memory_search", "query", q)));
      },
      (s, r) -> {
        if (s.entries().size() < 2) {
          return Optional.empty();
        }
        List<String> keys = shuffled(new ArrayList<>(s.entries().keySet()), r).subList(0, 2);
        return Optional.of(Intent.of("What is stored under " + keys.get(0) + " and " + keys.get(1) + "?",
            List.of(keys.stream().map(k -> call("memory_retrieve", "key", k)).toList())));
      },
      (s, r) -> {
        List<String> free = shuffled(Words.MEMORY_KEYS.stream().filter(k -> !s.entries().containsKey(k)).toList(), r);
        if (free.size() < 2) {
          return Optional.empty();
        }
        List<String> values = shuffled(Words.MEMORY_VALUES, r);
        return Optional.of(Intent.of("Store " + values.get(0) + " under " + free.get(0) + " and " + values.get(1)
            + " under " + free.get(1) + ".", List.of(List.of(call("memory_store", "key", free.get(0), "value",
            values.get(0)), call("memory_store", "key", free.get(1), "value", values.get(1))))));
      });

  @Override
  List<Intent.Template<MemoryState>> intents() {
    return intents;
  }
}
