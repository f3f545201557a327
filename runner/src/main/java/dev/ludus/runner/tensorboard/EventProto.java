package dev.ludus.runner.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few fields of TensorFlow's {@code Event} and {@code Summary} protobuf messages an event file of scalars needs,
 * encoded by hand (event.proto: {@code wall_time = 1} double, {@code step = 2} int64, {@code file_version = 3}
 * string, {@code summary = 5}; summary.proto: {@code value = 1} repeated, {@code Value.tag = 1} string,
 * {@code Value.simple_value = 2} float). Stateless.
 */
final class EventProto {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private EventProto() {}

  /** The first event of every file: {@code file_version = "brain.Event:2"}. */
  static byte[] fileVersion(double wallTime) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fixed64(out, 1, Double.doubleToRawLongBits(wallTime));
    bytes(out, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** An event holding one summary of scalar values, in the order given. */
  static byte[] scalars(double wallTime, long step, Iterable<? extends Map.Entry<String, Double>> values) {
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    for (var v : values) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      bytes(value, 1, v.getKey().getBytes(StandardCharsets.UTF_8));
      tag(value, 2, FIXED32);
      int bits = Float.floatToRawIntBits(v.getValue().floatValue());
      for (int i = 0; i < 4; i++) {
        value.write(bits >>> (8 * i));
      }
      bytes(summary, 1, value.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fixed64(out, 1, Double.doubleToRawLongBits(wallTime));
    tag(out, 2, VARINT);
    varint(out, step);
    bytes(out, 5, summary.toByteArray());
    return out.toByteArray();
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, ((long) field << 3) | wireType);
  }

  private static void fixed64(ByteArrayOutputStream out, int field, long bits) {
    tag(out, field, FIXED64);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)));
    }
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] data) {
    tag(out, field, LENGTH_DELIMITED);
    varint(out, data.length);
    out.write(data, 0, data.length);
  }

  /** Base-128 varint, least significant group first; a negative int64 takes ten bytes, as protobuf writes it. */
  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
