package dev.ludus.runner.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.config.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One codec per message type: identity within a Vert.x instance (the records are immutable), Jackson on the wire,
 * and the episode codec for episodes (typed by the registry on the side that reads them). Every node registers them.
 */
final class Codecs {
  private Codecs() {}

  static void register(EventBus bus, EpisodeCodec episodes, WireStats stats) {
    bus.registerDefaultCodec(Messages.LeaseRequest.class, new JsonCodec<>(Messages.LeaseRequest.class, stats));
    bus.registerDefaultCodec(Messages.Lease.class, new JsonCodec<>(Messages.Lease.class, stats));
    bus.registerDefaultCodec(Messages.Refusal.class, new JsonCodec<>(Messages.Refusal.class, stats));
    bus.registerDefaultCodec(Messages.EpisodeResult.class, new ResultCodec(episodes, stats));
  }

  /** A record as length-prefixed JSON. */
  static final class JsonCodec<T> implements MessageCodec<T, T> {
    private static final ObjectMapper MAPPER = Json.JSON;
    private final Class<T> type;
    private final WireStats stats;

    JsonCodec(Class<T> type, WireStats stats) {
      this.type = type;
      this.stats = stats;
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
      long t = System.nanoTime();
      byte[] bytes;
      try {
        bytes = MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
      }
      buffer.appendInt(bytes.length).appendBytes(bytes);
      stats.bytesOut.add(4 + bytes.length);
      stats.codecNanos.add(System.nanoTime() - t);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      long t = System.nanoTime();
      int length = buffer.getInt(pos);
      try {
        T value = MAPPER.readValue(buffer.getBytes(pos + 4, pos + 4 + length), type);
        stats.bytesIn.add(4 + length);
        return value;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot decode " + type.getSimpleName(), e);
      } finally {
        stats.codecNanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public T transform(T value) {
      return value;
    }

    @Override
    public String name() {
      return "ludus-" + type.getSimpleName();
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** A finished match: its header, then each episode as the episode file's JSON, each after its length. */
  static final class ResultCodec implements MessageCodec<Messages.EpisodeResult, Messages.EpisodeResult> {
    private final EpisodeCodec episodes;
    private final WireStats stats;

    ResultCodec(EpisodeCodec episodes, WireStats stats) {
      this.episodes = episodes;
      this.stats = stats;
    }

    @Override
    public void encodeToWire(Buffer buffer, Messages.EpisodeResult r) {
      long t = System.nanoTime();
      int start = buffer.length();
      byte[] node = r.node().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      buffer.appendInt(node.length).appendBytes(node).appendLong(r.lease()).appendLong(r.index())
          .appendInt(r.episodes().size());
      for (Episode e : r.episodes()) {
        byte[] bytes = episodes.encode(e);
        buffer.appendInt(bytes.length).appendBytes(bytes);
      }
      stats.bytesOut.add(buffer.length() - start);
      stats.codecNanos.add(System.nanoTime() - t);
    }

    @Override
    public Messages.EpisodeResult decodeFromWire(int pos, Buffer buffer) {
      long t = System.nanoTime();
      int p = pos;
      int nodeLength = buffer.getInt(p);
      p += 4;
      String node = buffer.getString(p, p + nodeLength, "UTF-8");
      p += nodeLength;
      long lease = buffer.getLong(p);
      p += 8;
      long index = buffer.getLong(p);
      p += 8;
      int count = buffer.getInt(p);
      p += 4;
      List<Episode> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = buffer.getInt(p);
        p += 4;
        out.add(episodes.decode(buffer.getBytes(p, p + length)));
        p += length;
      }
      stats.bytesIn.add(p - pos);
      stats.codecNanos.add(System.nanoTime() - t);
      return new Messages.EpisodeResult(node, lease, index, List.copyOf(out));
    }

    @Override
    public Messages.EpisodeResult transform(Messages.EpisodeResult r) {
      return r;
    }

    @Override
    public String name() {
      return "ludus-EpisodeResult";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
