package dev.ludus.agents.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The part of a conversation a policy reads when its history is windowed ({@code historyWindow} of {@code djl-lm}):
 * the system messages that open the conversation (the rules), then the conversation from its {@code window}-th latest
 * observation on, where an observation is a run of messages that are not the agent's own (the environment's, a
 * simulated user's, tools' results) and the agent's replies sit between them. With window 1 the policy reads the
 * rules and the latest observation alone, as verl-agent's memory of recent steps and Verlog's "latest n + 1 turns"
 * do for Sokoban-like games; it suits an environment whose every observation shows the whole state
 * ({@code EnvironmentProvider#observationsSupersede}), where the earlier ones only repeat it.
 *
 * <p>Token-in/token-out stays exact: the prompt recorded in a turn's token trace is the windowed one the policy was
 * conditioned on, so a learner trains on what the policy saw. A windowed turn's prompt no longer continues the
 * previous turn's prompt and reply, so packing gives each such turn a row of its own (short, since the history is
 * gone), never a row that mixes views.
 *
 * <p>A checkpoint keeps the window its policy was trained with ({@link #save}, in {@value #FILE_NAME} beside the
 * weights), and a {@code djl-lm} agent loading it reads with that window unless its configuration sets one. Stateless
 * and thread-safe.
 */
public final class HistoryWindow {
  /** The file in a checkpoint directory that holds how its policy reads a conversation. */
  public static final String FILE_NAME = "djl-lm-agent.json";

  private static final String FIELD = "historyWindow";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryWindow() {}

  /**
   * Records in the checkpoint {@code directory} (which must exist) that its policy reads with a history window of
   * {@code window} observations (0: the whole conversation), keeping any other entry of {@value #FILE_NAME}.
   *
   * @throws IllegalArgumentException if {@code window} is negative
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void save(Path directory, int window) {
    Objects.requireNonNull(directory, "directory");
    if (window < 0) {
      throw new IllegalArgumentException("a history window is 0 (the whole conversation) or more observations, was "
          + window);
    }
    Path file = directory.resolve(FILE_NAME);
    try {
      ObjectNode meta = Files.isRegularFile(file) && JSON.readTree(file.toFile()) instanceof ObjectNode o
          ? o : JSON.createObjectNode();
      meta.put(FIELD, window);
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The history window saved with the checkpoint in {@code directory} ({@link #save}); empty when it saved none (a
   * checkpoint written before windows were saved, or not by {@code ludus train}) or the directory is no checkpoint.
   *
   * @throws IllegalArgumentException if the saved entry is not a window (a whole number from 0)
   * @throws UncheckedIOException if the file is there but cannot be read as JSON
   */
  public static OptionalInt saved(Path directory) {
    Path file = Objects.requireNonNull(directory, "directory").resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return OptionalInt.empty();
    }
    JsonNode value;
    try {
      value = JSON.readTree(file.toFile()).path(FIELD);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (value.isMissingNode() || value.isNull()) {
      return OptionalInt.empty();
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
      throw new IllegalArgumentException(file + ": " + FIELD + " must be a whole number of observations from 0, was "
          + value);
    }
    return OptionalInt.of(value.asInt());
  }

  /**
   * What of {@code conversation} a policy with a history window of {@code window} observations reads: all of it when
   * {@code window} is 0 or the conversation has at most {@code window} observations, else its opening system messages
   * followed by the conversation from its {@code window}-th latest observation on.
   *
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public static List<Message> view(List<Message> conversation, int window) {
    Objects.requireNonNull(conversation, "conversation");
    if (window < 0) {
      throw new IllegalArgumentException("a history window is 0 (the whole conversation) or more observations, was "
          + window);
    }
    if (window == 0) {
      return conversation;
    }
    int opening = 0;
    while (opening < conversation.size() && conversation.get(opening).role() == Role.SYSTEM) {
      opening++;
    }
    // walk back over observations (runs of messages that are not the agent's) until the window-th latest one starts
    int seen = 0;
    int from = -1;
    boolean inObservation = false;
    for (int i = conversation.size() - 1; i >= opening; i--) {
      boolean agent = conversation.get(i).role() == Role.ASSISTANT;
      if (!agent && !inObservation) {
        seen++;
      }
      inObservation = !agent;
      if (!agent && seen == window) {
        from = i;
      } else if (seen > window) {
        break;
      }
    }
    if (seen <= window || from <= opening) {
      return conversation;
    }
    List<Message> out = new ArrayList<>(opening + conversation.size() - from);
    out.addAll(conversation.subList(0, opening));
    out.addAll(conversation.subList(from, conversation.size()));
    return List.copyOf(out);
  }
}
