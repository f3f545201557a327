package dev.ludus.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Episode JSON in one place: an {@link Episode}, or one of its {@link Part}s, to JSON bytes, text or a stream
 * and back, in the episode file's format (schema {@value Episode#SCHEMA}; files of schema 1 still read). The
 * episode store and its reader go through it, and so should everything else that writes or reads episodes (an
 * environment server, exporters, a cluster's wire format) and a user's own tools: it needs only {@code env-api}.
 *
 * <p><b>Typed signals.</b> JSON does not say that {@code {"low":3,"high":9}} was a {@code FeasibleRange}. A
 * {@linkplain #plain() plain} codec reads signal values as plain JSON values (maps, lists, strings, numbers,
 * booleans); {@link Signals#get} still converts one on demand. A {@linkplain #typed(Registry) typed} codec turns
 * each value into its {@link SignalKey}'s declared type (records, enums, lists, boxed primitives, strings) while
 * decoding, so that a decoded episode {@code equals} the one that was encoded: the keys come from the registry's
 * environment named by the episode's {@code env}, or from an explicit set. A signal that no key names stays a
 * plain JSON value, and so do all signals of an episode whose environment the registry does not hold; a value
 * that a key names but that does not convert to its type fails the decode ({@link EpisodeFormatException}).
 *
 * <p>Design: one Jackson mapper, configured once. The ledger is written grouped by component with its names
 * pre-encoded, integral numbers are written as integers, and doubles with Jackson's fast writer: the store writes
 * every episode of a run through {@link #encode(Episode)} on the event loops, so this is a hot path. Encoding does
 * not depend on the signal keys; decoding reads plain values, then types them. For a Vert.x {@code MessageCodec}
 * write {@link #encode(Episode)}'s bytes into the buffer after their length and read them back with
 * {@link #decode(byte[], int, int)}.
 *
 * <p>Immutable and thread-safe; share one instance. Methods throw {@link EpisodeFormatException} for JSON they
 * cannot read, {@link IllegalArgumentException} for a value that cannot be written as JSON, and
 * {@link UncheckedIOException} when a stream fails; streams are not closed here (but by {@link #decodeAll}'s
 * stream when it is closed).
 */
public final class EpisodeCodec {
  /** The episode file's JSON: compact, lenient about unknown fields when reading, the ledger grouped. */
  static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .addModule(new SimpleModule("ludus-episode")
          .addSerializer(LedgerEntry.class, new LedgerJson.EntrySerializer())
          .setSerializerModifier(new LedgerJson.Serializers())
          .setDeserializerModifier(new LedgerJson.Deserializers()))
      .build();

  private static final EpisodeCodec PLAIN = new EpisodeCodec(SignalTypes.NONE);

  private final SignalTypes types;

  private EpisodeCodec(SignalTypes types) {
    this.types = types;
  }

  /** Signal values are read back as plain JSON values (maps, lists, strings, numbers, booleans). */
  public static EpisodeCodec plain() {
    return PLAIN;
  }

  /**
   * Signal values are typed by the signal keys of the episode's environment, found in {@code registry} by the
   * episode's {@code env}; an environment the registry does not hold leaves its episodes' signals plain. A part
   * read on its own (a {@link Part#TURN}, {@link Part#SIGNALS}) has no environment: use {@link #forEnv}.
   */
  public static EpisodeCodec typed(Registry registry) {
    return new EpisodeCodec(SignalTypes.of(Objects.requireNonNull(registry, "registry")));
  }

  /**
   * Signal values named by one of {@code keys} are typed by it, whatever the episode's environment; other values
   * stay plain. Fails when two keys share a name but not a type.
   */
  public static EpisodeCodec typed(Collection<? extends SignalKey<?>> keys) {
    return new EpisodeCodec(SignalTypes.fixed(keys));
  }

  /**
   * This codec with the signal keys of environment {@code env} for everything it reads, episodes and parts
   * alike. For a {@linkplain #typed(Registry) registry-typed} codec it fails with a
   * {@link dev.ludus.api.ConfigException} naming the known environments when the registry has no {@code env};
   * a plain or key-typed codec is returned as it is.
   */
  public EpisodeCodec forEnv(String env) {
    SignalTypes narrowed = types.forEnv(Objects.requireNonNull(env, "env"));
    return narrowed == types ? this : new EpisodeCodec(narrowed);
  }

  // ---- whole episodes ----

  /** {@code episode} as one line of the episode file (UTF-8, no line break). */
  public byte[] encode(Episode episode) {
    return encode(Part.EPISODE, episode);
  }

  /** {@code episode} as JSON text. */
  public String encodeToString(Episode episode) {
    return encodeToString(Part.EPISODE, episode);
  }

  /** Writes {@code episode} to {@code out}, flushed but not closed. */
  public void encode(Episode episode, OutputStream out) {
    encode(Part.EPISODE, episode, out);
  }

  /** The episode in {@code json} (UTF-8); refuses a newer schema. */
  public Episode decode(byte[] json) {
    return decode(Part.EPISODE, json);
  }

  /** The episode in {@code length} bytes of {@code json} from {@code offset} (UTF-8), e.g. a wire frame. */
  public Episode decode(byte[] json, int offset, int length) {
    return decode(Part.EPISODE, json, offset, length);
  }

  /** The episode in {@code json}; refuses a newer schema. */
  public Episode decode(String json) {
    return decode(Part.EPISODE, json);
  }

  /** The episode that {@code in} holds (one JSON value; the stream is read through it and left open). */
  public Episode decode(InputStream in) {
    return decode(Part.EPISODE, in);
  }

  /**
   * Every episode in {@code in}, one JSON value after another (JSON Lines, or values separated by any
   * whitespace), read lazily as the returned stream is consumed; closing it closes {@code in}. A value that is
   * not a valid episode fails the stream's consumer with an {@link EpisodeFormatException}.
   */
  public Stream<Episode> decodeAll(InputStream in) {
    MappingIterator<Episode> values;
    try {
      values = Part.EPISODE.reader.readValues(in);
    } catch (JsonProcessingException e) {
      throw malformed(Part.EPISODE, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read episodes: " + e.getMessage(), e);
    }
    Iterator<Episode> typed = new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return values.hasNextValue();
        } catch (JsonProcessingException e) {
          throw malformed(Part.EPISODE, e);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read episodes: " + e.getMessage(), e);
        }
      }

      @Override
      public Episode next() {
        try {
          return finish(Part.EPISODE, values.nextValue());
        } catch (JsonProcessingException e) {
          throw malformed(Part.EPISODE, e);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read episodes: " + e.getMessage(), e);
        }
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(typed, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(() -> {
          try {
            values.close();
            in.close();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot close the episode stream: " + e.getMessage(), e);
          }
        });
  }

  // ---- any part ----

  /** {@code value} as JSON (UTF-8). */
  public <T> byte[] encode(Part<T> part, T value) {
    try {
      return part.writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw unwritable(part, value, e);
    }
  }

  /** {@code value} as JSON text. */
  public <T> String encodeToString(Part<T> part, T value) {
    return new String(encode(part, value), StandardCharsets.UTF_8);
  }

  /** Writes {@code value} to {@code out}, flushed but not closed. */
  public <T> void encode(Part<T> part, T value, OutputStream out) {
    try {
      part.writer.writeValue(out, value);
    } catch (JsonProcessingException e) {
      throw unwritable(part, value, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + part.name + ": " + e.getMessage(), e);
    }
  }

  public <T> T decode(Part<T> part, byte[] json) {
    return decode(part, json, 0, json.length);
  }

  public <T> T decode(Part<T> part, byte[] json, int offset, int length) {
    try {
      return finish(part, part.reader.readValue(json, offset, length));
    } catch (IOException e) {
      throw malformed(part, e);
    }
  }

  public <T> T decode(Part<T> part, String json) {
    try {
      return finish(part, part.reader.readValue(json));
    } catch (JsonProcessingException e) {
      throw malformed(part, e);
    }
  }

  /** The {@code part} that {@code in} holds (one JSON value; the stream is read through it and left open). */
  public <T> T decode(Part<T> part, InputStream in) {
    try {
      return finish(part, part.reader.readValue(in));
    } catch (JsonProcessingException e) {
      throw malformed(part, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + part.name + ": " + e.getMessage(), e);
    }
  }

  private <T> T finish(Part<T> part, T value) {
    if (value == null) {
      throw new EpisodeFormatException("is not a valid " + part.name + ": it is null", null);
    }
    if (value instanceof Episode e && e.schema() > Episode.SCHEMA) {
      throw new EpisodeFormatException("has schema " + e.schema() + "; this Ludus reads schema " + Episode.SCHEMA
          + " and older", null);
    }
    try {
      return part.typing.type(value, types);
    } catch (ClassCastException e) {
      throw new EpisodeFormatException("is not a valid " + part.name + ": " + e.getMessage(), e);
    }
  }

  private static EpisodeFormatException malformed(Part<?> part, IOException e) {
    String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return new EpisodeFormatException("is not a valid " + part.name + ": " + detail, e);
  }

  private static IllegalArgumentException unwritable(Part<?> part, Object value, JsonProcessingException e) {
    String what = value instanceof Episode ep ? "episode " + ep.id() : "the " + part.name;
    return new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
  }

  @Override
  public String toString() {
    return "EpisodeCodec[" + types + "]";
  }

  /** How a part's signal values are typed after a plain read. */
  private interface Typing<T> {
    T type(T value, SignalTypes types);

    static <T> Typing<T> none() {
      return (value, types) -> value;
    }
  }

  /**
   * A part of an episode that the codec reads and writes on its own, e.g. the messages of an exporter's row, a
   * turn streamed to a dashboard, or the signals and ledger an environment server puts in its observation.
   * Constants only; thread-safe.
   *
   * @param <T> the part's Java type
   */
  public static final class Part<T> {
    /** A whole episode (what {@link EpisodeCodec#encode(Episode)} writes). */
    public static final Part<Episode> EPISODE = new Part<>("episode", new TypeReference<>() {},
        (e, types) -> {
          Collection<SignalKey<?>> keys = types.keys(e.env());
          return keys.isEmpty() ? e : e.mapSignals(s -> s.typed(keys));
        });

    /** One turn. */
    public static final Part<Turn> TURN = new Part<>("turn", new TypeReference<>() {}, (t, types) -> {
      Collection<SignalKey<?>> keys = types.keys(null);
      Signals typed = keys.isEmpty() ? t.signals() : t.signals().typed(keys);
      return typed == t.signals() ? t : t.withSignals(typed);
    });

    /** One chat message, in the OpenAI chat format (tool calls included). */
    public static final Part<Message> MESSAGE = new Part<>("message", new TypeReference<>() {}, Typing.none());

    /** A list of chat messages (a conversation, an episode's {@code start}, a turn's observation). */
    public static final Part<List<Message>> MESSAGES =
        new Part<>("message list", new TypeReference<>() {}, Typing.none());

    /** One tool call, in the OpenAI wire shape. */
    public static final Part<ToolCall> TOOL_CALL = new Part<>("tool call", new TypeReference<>() {}, Typing.none());

    /** The tools offered, each with its parameters' JSON Schema as a JSON object. */
    public static final Part<List<ToolSpec>> TOOLS = new Part<>("tool list", new TypeReference<>() {}, Typing.none());

    /** A turn's token trace ({@code prompt_ids}, {@code output_ids}, {@code logprobs}, {@code policy_version}). */
    public static final Part<TokenTrace> TOKENS = new Part<>("token trace", new TypeReference<>() {}, Typing.none());

    /** A set of signals, as an object from name to value. */
    public static final Part<Signals> SIGNALS = new Part<>("signal set", new TypeReference<>() {}, (s, types) -> {
      Collection<SignalKey<?>> keys = types.keys(null);
      return keys.isEmpty() ? s : s.typed(keys);
    });

    /** A reward ledger, grouped by component (schema 2); the entry-by-entry form of schema 1 also reads. */
    public static final Part<List<LedgerEntry>> LEDGER = new Part<>("ledger", new TypeReference<>() {}, Typing.none());

    /** A task ({@code id}, {@code seed}, {@code fields}). */
    public static final Part<Task> TASK = new Part<>("task", new TypeReference<>() {}, Typing.none());

    private final String name;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final Typing<T> typing;

    private Part(String name, TypeReference<T> type, Typing<T> typing) {
      this.name = name;
      this.writer = MAPPER.writerFor(type);
      this.reader = MAPPER.readerFor(type);
      this.typing = typing;
    }

    /** What the part is, e.g. {@code episode} or {@code ledger}. */
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
