package dev.ludus.runner.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads an event file back for the tests, the way TensorBoard's record reader does: every record's length and data
 * must match their masked CRC32Cs (unmasked here by the inverse operation, not by re-masking), and each
 * {@code Event} is decoded field by field from the protobuf wire format.
 */
public final class EventFileReader {
  /** One decoded event: its file version (first event only) or its scalars. */
  public record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars) {}

  private EventFileReader() {}

  public static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      int lengthCrc = b.getInt();
      check(len, lengthCrc, "length", events.size());
      long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[Math.toIntExact(n)];
      b.get(data);
      check(data, b.getInt(), "data", events.size());
      events.add(event(data));
    }
    return events;
  }

  private static void check(byte[] bytes, int masked, String what, int record) {
    int rotated = masked - 0xa282ead8;
    int crc = (rotated << 15) | (rotated >>> 17);
    CRC32C c = new CRC32C();
    c.update(bytes);
    if (crc != (int) c.getValue()) {
      throw new IllegalStateException("record " + record + ": the " + what + " CRC does not match");
    }
  }

  private static Event event(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    double wall = 0;
    long step = 0;
    String version = null;
    Map<String, Float> scalars = new LinkedHashMap<>();
    while (b.hasRemaining()) {
      long key = varint(b);
      int field = (int) (key >>> 3);
      int type = (int) (key & 7);
      if (field == 1 && type == 1) {
        wall = b.getDouble();
      } else if (field == 2 && type == 0) {
        step = varint(b);
      } else if (field == 3 && type == 2) {
        version = new String(bytes(b), StandardCharsets.UTF_8);
      } else if (field == 5 && type == 2) {
        summary(ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN), scalars);
      } else {
        throw new IllegalStateException("unexpected field " + field + " of wire type " + type + " in an Event");
      }
    }
    return new Event(wall, step, version, scalars);
  }

  private static void summary(ByteBuffer b, Map<String, Float> out) {
    while (b.hasRemaining()) {
      long key = varint(b);
      if (key != ((1 << 3) | 2)) {
        throw new IllegalStateException("a Summary holds only values (field 1), got key " + key);
      }
      ByteBuffer v = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
      String tag = null;
      Float value = null;
      while (v.hasRemaining()) {
        long k = varint(v);
        if (k == ((1 << 3) | 2)) {
          tag = new String(bytes(v), StandardCharsets.UTF_8);
        } else if (k == ((2 << 3) | 5)) {
          value = v.getFloat();
        } else {
          throw new IllegalStateException("unexpected key " + k + " in a Summary.Value");
        }
      }
      out.put(tag, value);
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[Math.toIntExact(varint(b))];
    b.get(a);
    return a;
  }

  static long varint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b.get() & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}
