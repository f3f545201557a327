package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.ludus.api.LedgerEntry;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The two configured Jackson mappers Ludus uses: JSON (episode store, {@code --json} output) and YAML
 * (configuration files). Both are immutable after construction and thread-safe.
 */
public final class Json {
  private Json() {}

  /** Compact JSON, one line per value; unknown properties are tolerated when reading records back. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .addModule(new SimpleModule("ludus-hot-path").addSerializer(LedgerEntry.class, new LedgerEntrySerializer())
          .setSerializerModifier(new LedgerJson.Serializers()).setDeserializerModifier(new LedgerJson.Deserializers()))
      .build();

  /**
   * Writes a ledger entry field by field: the same JSON as the record's, without reflection, because an
   * episode carries one entry per turn and component and the store writes every one of them.
   */
  static final class LedgerEntrySerializer extends StdSerializer<LedgerEntry> {
    private static final SerializedString TURN = new SerializedString("turn");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString COMPONENT = new SerializedString("component");
    private static final SerializedString RAW = new SerializedString("raw");
    private static final SerializedString VALUE = new SerializedString("value");
    /**
     * Source and component names, pre-encoded: a run has a handful of them, written on every entry. Looked up
     * by identity first (a pipeline hands out the same name instances every time, and comparing references
     * does not touch the strings), then by value; bounded, so that a shaper inventing names cannot grow it
     * without limit. Copy-on-write, so readers take no lock.
     */
    private static final int MAX_NAMES = 64;
    private static volatile Name[] cache = new Name[0];

    private record Name(String text, SerializedString encoded) {}

    LedgerEntrySerializer() {
      super(LedgerEntry.class);
    }

    @Override
    public void serialize(LedgerEntry e, JsonGenerator g, SerializerProvider provider) throws IOException {
      write(e, g);
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
      number(g, e.raw());
      g.writeFieldName(VALUE);
      number(g, e.value());
      g.writeEndObject();
    }

    static SerializedString name(String s) {
      Name[] names = cache;
      for (Name n : names) {
        if (n.text() == s) {
          return n.encoded();
        }
      }
      for (Name n : names) {
        if (n.text().equals(s)) {
          return n.encoded();
        }
      }
      SerializedString fresh = new SerializedString(s);
      synchronized (LedgerEntrySerializer.class) {
        if (cache.length < MAX_NAMES) {
          Name[] more = java.util.Arrays.copyOf(cache, cache.length + 1);
          more[more.length - 1] = new Name(s, fresh);
          cache = more;
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
  }

  /** YAML for configuration; strict about unknown fields, because a typo should not pass silently. */
  public static final ObjectMapper YAML = YAMLMapper.builder(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();
}
