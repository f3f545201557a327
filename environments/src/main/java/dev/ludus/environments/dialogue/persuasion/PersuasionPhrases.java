package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.simulators.persuasion.Act;
import java.util.List;
import java.util.Map;

/**
 * The persuader sentences the scripted agents draw from: several per P4G strategy, with one consistent set of facts
 * about Save the Children (founded in 1919, in over 100 countries, 90% of donations to programmes). No two sentences
 * of one strategy overlap by half their content words, so using each once never repeats.
 */
final class PersuasionPhrases {
  private PersuasionPhrases() {}

  static final Map<Act, List<String>> BY_STRATEGY = Map.of(
      Act.LOGICAL_APPEAL, List.of(
          "Every dollar you give will help provide food and medicine for a child.",
          "Research shows that small donations make a real difference in early childhood health.",
          "A single donation can fund school supplies for an entire classroom."),
      Act.EMOTIONAL_APPEAL, List.of(
          "Imagine a little girl going to sleep hungry every night.",
          "Millions of children in war-torn regions are suffering right now.",
          "How would you feel if your own family had nothing to eat?"),
      Act.CREDIBILITY_APPEAL, List.of(
          "Save the Children was founded in 1919 and is one of the most trusted charities.",
          "They work in over 100 countries around the world.",
          "About 90% of donations go directly to their programmes, and they are audited every year."),
      Act.PERSONAL_STORY, List.of(
          "I once volunteered at a school they support, and the kids there were wonderful.",
          "My friend grew up in a refugee camp and still talks about the volunteers who helped her.",
          "Last year I met a nurse who works with them in Kenya."),
      Act.FOOT_IN_THE_DOOR, List.of(
          "Even a small amount like fifty cents is a great start.",
          "Every little bit helps, so any amount counts."),
      Act.SELF_MODELING, List.of(
          "I'm going to donate $1 of my own payment too.",
          "I always give part of my earnings to causes like this."),
      Act.DONATION_INFORMATION, List.of(
          "Your donation comes straight from your task payment, between $0 and $2.",
          "The research team sends the money directly to the charity after the task."),
      Act.SOURCE_RELATED_INQUIRY, List.of(
          "Have you heard of Save the Children?"),
      Act.TASK_RELATED_INQUIRY, List.of(
          "Have you ever donated to a charity before?",
          "What kind of causes do you usually care about when giving?"),
      Act.PERSONAL_RELATED_INQUIRY, List.of(
          "How are you doing today?",
          "Do you have any kids?"));

  /** Off-topic sentences the random agent sometimes says. */
  static final List<String> FILLER = List.of("The weather is nice today.", "I like turtles.", "Okay.",
      "Let's talk about something else.");

  /** Donation requests. */
  static final List<String> ASKS = List.of("Would you donate $2 to Save the Children?",
      "Would you like to donate some of your payment?", "Would you be willing to donate $0.50?");
}
