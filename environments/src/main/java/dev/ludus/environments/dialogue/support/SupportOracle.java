package dev.ludus.environments.dialogue.support;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.support.Need;
import dev.ludus.simulators.support.SupportReplies;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A supportive friend who listens for what the user hopes for: it reads the need from the user's latest cue
 * ({@link SupportReplies#readCue}) and answers with the next of its lines for that need, never repeating one and
 * never making another kind of move. Stateless and thread-safe: everything it knows it reads from the request.
 */
final class SupportOracle implements Agent {
  static final Map<Need, List<String>> LINES = new EnumMap<>(Need.class);

  static {
    LINES.put(Need.VALIDATION, List.of(
        "That sounds really hard, and it makes sense that you feel this way.",
        "Of course you're hurt. Anyone would be.",
        "I hear you. Your feelings are completely understandable.",
        "You did your best, and it's natural to feel upset about it.",
        "No wonder you're worn out. You're not alone in this.",
        "That's a lot to carry, and you have every right to feel it.",
        "I'm so sorry. It must be exhausting.",
        "Your feelings count here, whatever anyone else said."));
    LINES.put(Need.ADVICE, List.of(
        "One practical step would be to write down the three things that matter most, and start with the first.",
        "I'd suggest setting aside an hour tomorrow to make a plan for the week.",
        "How about asking one person you trust for concrete help with the hardest part?",
        "You could split it into small pieces and do one piece each day.",
        "Start by listing your options, then cross out the ones you can't afford.",
        "It might help to set a deadline for each decision, so nothing drags on.",
        "Next time something like this comes up, you could ask for it in writing.",
        "My suggestion: pick the smallest step you can finish tonight."));
    LINES.put(Need.ANALYSIS_OF_OTHERS, List.of(
        "Maybe they were under pressure themselves; from their perspective it may have looked different.",
        "They might not have realised how much it meant to you.",
        "Perhaps they felt awkward and didn't know how to handle it.",
        "There could be a lot going on with them that you can't see.",
        "From their point of view, staying quiet may have felt like the safest choice.",
        "They probably didn't intend it the way it landed.",
        "Maybe they thought they were protecting you, or themselves.",
        "The reason they acted that way may have little to do with you."));
    LINES.put(Need.VENTING, List.of(
        "Tell me more about what happened.",
        "I'm here and I'm listening. Go on.",
        "Take your time. What's on your mind right now?",
        "How did that feel in the moment?",
        "Keep going, I'm all ears.",
        "What was it like afterwards?",
        "Let it all out. I'm happy to listen.",
        "Say more, if you like."));
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    List<Message> conversation = request.conversation();
    Optional<Need> need = Optional.empty();
    long said = 0;
    for (Message m : conversation) {
      if (m.role() == Role.USER) {
        Optional<Need> cue = SupportReplies.readCue(m.content());
        if (cue.isPresent()) {
          need = cue;
        }
      } else if (m.role() == Role.ASSISTANT) {
        said++;
      }
    }
    if (need.isEmpty()) {
      return CompletableFuture.completedFuture(AgentResponse.failure("no cue to the user's need in the conversation"));
    }
    List<String> lines = LINES.get(need.get());
    return CompletableFuture.completedFuture(
        AgentResponse.reply(Message.assistant(lines.get((int) (said % lines.size())))));
  }
}
