package dev.ludus.environments.dialogue.personalisation;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.profile.ProfileAnswer;
import dev.ludus.simulators.profile.ProfileFact;
import dev.ludus.simulators.profile.ProfileTable;
import dev.ludus.simulators.profile.UserProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A scripted friend who knows which topics the user has (it is privileged: it gets the task and so the profile): each
 * turn it writes as its profile the facts the user has said so far, word for word, and asks "How about W?" about the
 * topic of the first fact not yet revealed, W being the topic's next word (its name, then its lexicon), so that no
 * question repeats another; once it knows every fact it thanks the user on their last topic. Stateless and thread-safe.
 */
final class PersonalisationOracle implements Agent {
  private final ProfileTable table;

  PersonalisationOracle(PersonalisationConfig config) {
    this.table = config.table();
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    UserProfile profile = table.choose(request.task());
    StringBuilder heard = new StringBuilder();
    for (Message m : request.conversation()) {
      if (m.role() == Role.USER) {
        heard.append(m.content()).append('\n');
      }
    }
    List<String> known = new ArrayList<>();
    ProfileFact next = null;
    int askedOfTopic = 0;
    for (ProfileFact f : profile.facts()) {
      if (heard.indexOf(f.text()) >= 0) {
        known.add(f.text());
      } else if (next == null) {
        next = f;
      }
    }
    String response;
    if (next == null) {
      response = "Thanks for telling me about your " + profile.facts().get(profile.facts().size() - 1).topic() + ".";
    } else {
      String topic = next.topic();
      askedOfTopic = (int) profile.facts().stream().filter(f -> f.topic().equals(topic) && known.contains(f.text()))
          .count();
      List<String> words = table.topics().get(next.topic());
      response = "How about " + words.get(askedOfTopic % words.size()) + "?";
    }
    return CompletableFuture.completedFuture(
        AgentResponse.reply(Message.assistant(ProfileAnswer.format(known, response))));
  }
}
