package dev.ludus.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import dev.ludus.api.LedgerEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The episode file's encoding of a reward ledger (a {@code List<LedgerEntry>}), grouped by component: one
 * object per (source, component), in order of first appearance, with the turns it contributed to and the raw
 * values and values at those turns, e.g. {@code {"source":"info-gain","component":"info-gain","turns":[0,1],
 * "raw":[1,0.58],"value":[-0.4,0.7]}}. The names and field names are then written once per component rather
 * than once per turn, which halves a shaped episode's ledger on disk and most of the cost of writing it.
 *
 * <p>Reading expands the groups back into entries ordered by turn, then by component: the order the shaping
 * pipeline produces, so its ledgers read back equal. A ledger in another order (or with a component given
 * twice at a turn) is written entry by entry instead, as {@code {"turn", "source", "component", "raw",
 * "value"}} objects, which the reader also takes (and which files of schema 1 hold); so is a ledger holding a
 * shaper's failure to score ({@link LedgerEntry#failed}), written {@code {..., "raw": null, "value": 0,
 * "failure": "<reason>"}}. Thread-safe and stateless.
 */
final class LedgerJson {
  private static final SerializedString TURN = new SerializedString("turn");
  private static final SerializedString SOURCE = new SerializedString("source");
  private static final SerializedString COMPONENT = new SerializedString("component");
  private static final SerializedString TURNS = new SerializedString("turns");
  private static final SerializedString RAW = new SerializedString("raw");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString FAILURE = new SerializedString("failure");

  /**
   * Source and component names, pre-encoded: a run has a handful of them, written on every entry. Looked up by
   * identity first (a pipeline hands out the same name instances every time, and comparing references does not
   * touch the strings), then by value; bounded, so that a shaper inventing names cannot grow it without limit.
   * Copy-on-write, so readers take no lock.
   */
  private static final int MAX_NAMES = 64;
  private static volatile Name[] names = new Name[0];

  private record Name(String text, SerializedString encoded) {}

  private LedgerJson() {}

  /**
   * Writes a ledger entry field by field: the same JSON as the record's, without reflection, because an episode
   * carries one entry per turn and component and the store writes every one of them.
   */
  static final class EntrySerializer extends StdSerializer<LedgerEntry> {
    EntrySerializer() {
      super(LedgerEntry.class);
    }

    @Override
    public void serialize(LedgerEntry e, JsonGenerator g, SerializerProvider provider) throws IOException {
      write(e, g);
    }
  }

  static void write(LedgerEntry e, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(TURN);
    g.writeNumber(e.turn());
    g.writeFieldName(SOURCE);
    g.writeString(name(e.source()));
    g.writeFieldName(COMPONENT);
    g.writeString(name(e.component()));
    g.writeFieldName(RAW);
    if (e.hasFailure()) {
      g.writeNull(); // no value, and not zero
    } else {
      number(g, e.raw());
    }
    g.writeFieldName(VALUE);
    number(g, e.value());
    if (e.hasFailure()) {
      g.writeFieldName(FAILURE);
      g.writeString(e.failure());
    }
    g.writeEndObject();
  }

  static SerializedString name(String s) {
    Name[] known = names;
    for (Name n : known) {
      if (n.text() == s) {
        return n.encoded();
      }
    }
    for (Name n : known) {
      if (n.text().equals(s)) {
        return n.encoded();
      }
    }
    SerializedString fresh = new SerializedString(s);
    synchronized (LedgerJson.class) {
      if (names.length < MAX_NAMES) {
        Name[] more = Arrays.copyOf(names, names.length + 1);
        more[more.length - 1] = new Name(s, fresh);
        names = more;
      }
    }
    return fresh;
  }

  /** Integral values (most rewards: 0, 1, -3) as integers, which read back as the same double. */
  static void number(JsonGenerator g, double v) throws IOException {
    if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
      g.writeNumber((long) v);
    } else {
      g.writeNumber(v);
    }
  }

  /** Uses {@link ListSerializer} for every collection of ledger entries. */
  static final class Serializers extends BeanSerializerModifier {
    @Override
    public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType valueType,
        BeanDescription beanDesc, JsonSerializer<?> serializer) {
      return valueType.getContentType().hasRawClass(LedgerEntry.class) ? new ListSerializer() : serializer;
    }
  }

  /** Uses {@link ListDeserializer} for every collection of ledger entries. */
  static final class Deserializers extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
        BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
      return type.getContentType().hasRawClass(LedgerEntry.class) ? new ListDeserializer() : deserializer;
    }
  }

  /** The components of a ledger, in order of first appearance, with each entry's component index. */
  private record Groups(List<LedgerEntry> firsts, int[] index) {
    static Groups of(List<LedgerEntry> ledger) {
      List<LedgerEntry> firsts = new ArrayList<>(8);
      int[] index = new int[ledger.size()];
      for (int i = 0; i < ledger.size(); i++) {
        LedgerEntry e = ledger.get(i);
        int k = -1;
        for (int j = 0; j < firsts.size(); j++) {
          LedgerEntry f = firsts.get(j);
          if (same(f.source(), e.source()) && same(f.component(), e.component())) {
            k = j;
            break;
          }
        }
        if (k < 0) {
          k = firsts.size();
          firsts.add(e);
        }
        index[i] = k;
      }
      return new Groups(firsts, index);
    }

    /** Whether entries run by turn, then by component index, with no (turn, component) twice. */
    boolean canonical(List<LedgerEntry> ledger) {
      for (LedgerEntry e : ledger) {
        if (e.hasFailure()) {
          return false; // failures are rare: their ledgers are written entry by entry, each failure with its reason
        }
      }
      for (int i = 1; i < ledger.size(); i++) {
        int t0 = ledger.get(i - 1).turn();
        int t1 = ledger.get(i).turn();
        if (t1 < t0 || (t1 == t0 && index[i] <= index[i - 1])) {
          return false;
        }
      }
      return true;
    }

    private static boolean same(String a, String b) {
      return a == b || a.equals(b);
    }
  }

  static final class ListSerializer extends StdSerializer<List<LedgerEntry>> {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ListSerializer() {
      super((Class) List.class);
    }

    @Override
    public void serialize(List<LedgerEntry> ledger, JsonGenerator g, SerializerProvider provider) throws IOException {
      Groups groups = Groups.of(ledger);
      g.writeStartArray();
      if (!groups.canonical(ledger)) {
        for (LedgerEntry e : ledger) {
          write(e, g);
        }
        g.writeEndArray();
        return;
      }
      int n = ledger.size();
      for (int k = 0; k < groups.firsts().size(); k++) {
        LedgerEntry first = groups.firsts().get(k);
        g.writeStartObject();
        g.writeFieldName(SOURCE);
        g.writeString(name(first.source()));
        g.writeFieldName(COMPONENT);
        g.writeString(name(first.component()));
        g.writeFieldName(TURNS);
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
          if (groups.index()[i] == k) {
            g.writeNumber(ledger.get(i).turn());
          }
        }
        g.writeEndArray();
        g.writeFieldName(RAW);
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
          if (groups.index()[i] == k) {
            number(g, ledger.get(i).raw());
          }
        }
        g.writeEndArray();
        g.writeFieldName(VALUE);
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
          if (groups.index()[i] == k) {
            number(g, ledger.get(i).value());
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  static final class ListDeserializer extends StdDeserializer<List<LedgerEntry>> {
    ListDeserializer() {
      super(List.class);
    }

    @Override
    public List<LedgerEntry> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = p.readValueAsTree();
      if (tree == null || tree.isNull()) {
        return List.of();
      }
      if (!tree.isArray()) {
        return ctxt.reportInputMismatch(this, "the ledger must be an array, was %s", tree.getNodeType());
      }
      record Cell(int turn, int group, LedgerEntry entry) {}
      List<LedgerEntry> rows = new ArrayList<>();
      List<Cell> cells = new ArrayList<>();
      int group = 0;
      for (JsonNode node : tree) {
        if (!node.has("turns")) {
          JsonNode failure = node.get("failure");
          rows.add(failure != null && failure.isTextual()
              ? LedgerEntry.failed(node.path("turn").asInt(), text(node, "source", ctxt), text(node, "component", ctxt),
                  failure.asText())
              : new LedgerEntry(node.path("turn").asInt(), text(node, "source", ctxt),
                  text(node, "component", ctxt), node.path("raw").asDouble(), node.path("value").asDouble()));
          continue;
        }
        String source = text(node, "source", ctxt);
        String component = text(node, "component", ctxt);
        JsonNode turns = node.get("turns");
        JsonNode raw = node.path("raw");
        JsonNode value = node.path("value");
        if (raw.size() != turns.size() || value.size() != turns.size()) {
          return ctxt.reportInputMismatch(this, "ledger component '%s/%s' has %d turns but %d raw values and %d "
              + "values", source, component, turns.size(), raw.size(), value.size());
        }
        for (int i = 0; i < turns.size(); i++) {
          int turn = turns.get(i).asInt();
          cells.add(new Cell(turn, group, new LedgerEntry(turn, source, component, raw.get(i).asDouble(),
              value.get(i).asDouble())));
        }
        group++;
      }
      if (cells.isEmpty()) {
        return rows;
      }
      cells.sort(Comparator.comparingInt(Cell::turn).thenComparingInt(Cell::group));
      List<LedgerEntry> out = new ArrayList<>(rows.size() + cells.size());
      out.addAll(rows);
      cells.forEach(c -> out.add(c.entry()));
      return out;
    }

    private String text(JsonNode node, String field, DeserializationContext ctxt) throws IOException {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        return ctxt.reportInputMismatch(this, "a ledger entry lacks its '%s' (text), in %s", field, node);
      }
      return v.asText();
    }
  }
}
