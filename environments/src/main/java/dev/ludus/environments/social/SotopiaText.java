package dev.ludus.environments.social;

import dev.ludus.api.Message;
import dev.ludus.environments.social.SotopiaProfiles.AgentProfile;
import dev.ludus.environments.social.SotopiaProfiles.EnvironmentProfile;
import java.util.List;
import java.util.Locale;

/**
 * What {@code sotopia} shows a seat: its opening (the scenario, both backgrounds as the relationship lets it see
 * them, its own goal, the partner's as {@code Unknown}) and the partner's actions in Sotopia's natural language.
 * Stateless.
 *
 * <p>Visibility follows Sotopia's {@code get_bio} in {@code envs/parallel.py}: a seat sees its own whole profile, its
 * secret included; of the partner, a stranger sees nothing, {@code know_by_name} the name only, an acquaintance also
 * age, gender, occupation, pronouns and public information, a friend, romantic partner or family member also the
 * personality and values. No relationship shows the partner's secret or goal.
 */
final class SotopiaText {
  private SotopiaText() {}

  static final String RULES = "You play a character in a social scenario with one partner. Each turn write one "
      + "action as JSON, {\"action_type\": TYPE, \"argument\": TEXT}, with TYPE one of \"speak\" (say TEXT), "
      + "\"non-verbal communication\" (a gesture), \"action\" (a physical action), \"none\" (do nothing) or "
      + "\"leave\" (leave the conversation). To propose a value of the term you are settling, write {\"action_type\": "
      + "\"action\", \"argument\": \"propose N\"}; to accept your partner's last proposal, {\"action_type\": "
      + "\"action\", \"argument\": \"accept\"}. The conversation ends when one of you leaves, after %d turns, or when "
      + "nothing happens for more than %d turns in a row. Keep your secrets; be believable and respectful.";
  static final String NOT_UNDERSTOOD = "Not understood: ";

  static List<Message> opening(EnvironmentProfile env, List<AgentProfile> agents, int viewer, SotopiaConfig config) {
    AgentProfile me = agents.get(viewer);
    StringBuilder b = new StringBuilder("Here is the context of this interaction:\nScenario: ").append(env.scenario())
        .append(" The term to settle: ").append(env.gameMetadata().term()).append(" (")
        .append(env.gameMetadata().unit()).append(").\nParticipants: ").append(agents.get(0).name()).append(" and ")
        .append(agents.get(1).name());
    for (int i = 0; i < 2; i++) {
      b.append("\n").append(agents.get(i).name()).append("'s background: ")
          .append(bio(agents.get(i), i == viewer ? 5 : env.relationship(), i == viewer));
    }
    for (int i = 0; i < 2; i++) {
      b.append("\n").append(agents.get(i).name()).append("'s goal: ")
          .append(i == viewer ? env.agentGoals().get(i) : "Unknown");
    }
    b.append("\nYou are ").append(me.name()).append(". ")
        .append(viewer == 0 ? "You act first." : "Your partner acts first.");
    return List.of(Message.system(String.format(Locale.ROOT, RULES, config.maxTurns(), config.maxStaleTurns())),
        Message.user(b.toString()));
  }

  /** A profile as a viewer at {@code relationship} sees it; {@code self} adds the secret. */
  static String bio(AgentProfile p, int relationship, boolean self) {
    if (!self && relationship == 0) {
      return "Unknown.";
    }
    if (!self && relationship == 1) {
      return p.name() + ".";
    }
    String gender = p.gender() == null ? "" : p.gender().toLowerCase(Locale.ROOT) + " ";
    String s = p.name() + " is a " + p.age() + "-year-old " + gender + p.occupation() + ". " + p.genderPronoun()
        + " pronouns. " + p.publicInfo();
    if (self || relationship >= 3) {
      s += " Personality and values description: " + p.personalityAndValues();
    }
    if (self) {
      s += " " + p.firstName() + "'s secrets: " + p.secret();
    }
    return s;
  }

  /** How a seat sees the partner's action. */
  static String partnerAction(AgentProfile actor, SotopiaAction action) {
    return actor.name() + " " + action.naturalLanguage();
  }
}
