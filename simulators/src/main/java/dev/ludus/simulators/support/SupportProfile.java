package dev.ludus.simulators.support;

import java.util.List;
import java.util.Objects;

/**
 * One emotional-support user, in the fields of SAGE's {@code simulator_profile.jsonl} and RLVER's profiles: who the
 * user is ({@code player}), what happened ({@code scene}, with its hidden theme), their character ({@code mainCha},
 * {@code chaGroup}), their hidden aim ({@code task}), and for the rule-based user the hidden {@code need} and the
 * {@code taboos} that hurt them. Immutable; validated on construction, naming the bad field.
 *
 * @param id a unique identifier
 * @param player the user: name, age, job, hobbies, habits
 * @param scene what happened and what it is really about
 * @param mainCha the user's main character trait (SAGE's {@code main_cha}, e.g. {@code anxious})
 * @param chaGroup further traits (SAGE's {@code cha_group})
 * @param task the user's hidden aim in words (SAGE's {@code task}); never shown to the agent
 * @param need the hidden need that decides which replies help
 * @param taboos moves that hurt this user besides the {@link Move#universalTaboos() universal} ones; must not
 *     contain the move that meets {@code need}
 * @param opening the user's first message, naming the problem but not the need
 */
public record SupportProfile(String id, Player player, Scene scene, String mainCha, List<String> chaGroup,
    String task, Need need, List<Move> taboos, String opening) {

  /** SAGE's {@code player}: who the user is. */
  public record Player(String name, int age, String job, String hobbies, String habits) {
    public Player {
      require("player.name", name);
      if (age < 0 || age > 130) {
        throw new IllegalArgumentException("player.age must be between 0 and 130, was " + age);
      }
      job = job == null ? "" : job;
      hobbies = hobbies == null ? "" : hobbies;
      habits = habits == null ? "" : habits;
    }
  }

  /**
   * SAGE's {@code scene}: what happened, and the theme under it.
   *
   * @param cause the event as the user would tell it
   * @param hiddenTheme what it is really about for the user; never shown to the agent
   */
  public record Scene(String cause, String hiddenTheme) {
    public Scene {
      require("scene.cause", cause);
      require("scene.hiddenTheme", hiddenTheme);
    }
  }

  public SupportProfile {
    require("id", id);
    Objects.requireNonNull(player, () -> "profile " + id + ": player is missing");
    Objects.requireNonNull(scene, () -> "profile " + id + ": scene is missing");
    mainCha = mainCha == null ? "" : mainCha;
    chaGroup = chaGroup == null ? List.of() : List.copyOf(chaGroup);
    task = task == null ? "" : task;
    if (need == null) {
      throw new IllegalArgumentException("profile " + id + ": need is missing; allowed: validation, advice, "
          + "analysis-of-others, venting");
    }
    taboos = taboos == null ? List.of() : List.copyOf(taboos);
    if (taboos.contains(need.metBy())) {
      throw new IllegalArgumentException("profile " + id + ": taboos contain " + need.metBy().wireName()
          + ", the move that meets its need " + need.wireName());
    }
    require("opening", opening);
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }

  /** Every move that hurts this user: the profile's taboos and the universal ones. */
  public java.util.Set<Move> allTaboos() {
    java.util.EnumSet<Move> all = java.util.EnumSet.copyOf(Move.universalTaboos());
    all.addAll(taboos);
    return all;
  }
}
