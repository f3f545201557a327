package dev.ludus.environments.dialogue.personalisation;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import dev.ludus.simulators.profile.ProfileAnswer;
import dev.ludus.simulators.profile.ProfileTable;
import dev.ludus.simulators.text.ContentWords;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Acts at random within RLPA's format: its profile is each sentence the user said, kept with probability 1/2; its
 * response asks about a random word of a random topic, or (one time in three) says a random filler (some of it
 * flattery); one message in ten leaves out the format. Its randomness comes from the request's seed and turn only:
 * stateless, thread-safe, replays exactly.
 */
final class PersonalisationRandomAgent implements Agent {
  static final List<String> FILLER = List.of("Nice to meet you.", "You are amazing!", "Okay.", "Tell me more.",
      "What a great question!", "I like that.");

  private final List<String> words;

  PersonalisationRandomAgent(PersonalisationConfig config) {
    ProfileTable table = config.table();
    List<String> all = new ArrayList<>();
    table.topics().values().forEach(all::addAll);
    this.words = List.copyOf(all);
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    List<String> lines = new ArrayList<>();
    for (Message m : request.conversation()) {
      if (m.role() == Role.USER) {
        for (String s : ContentWords.sentences(m.content())) {
          if (random.nextBoolean()) {
            lines.add(s);
          }
        }
      }
    }
    String response = random.nextInt(3) == 0 ? FILLER.get(random.nextInt(FILLER.size()))
        : "How about " + words.get(random.nextInt(words.size())) + "?";
    String text = random.nextInt(10) == 0 ? response : ProfileAnswer.format(lines, response);
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }
}
