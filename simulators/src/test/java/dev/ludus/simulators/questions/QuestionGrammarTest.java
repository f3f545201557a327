package dev.ludus.simulators.questions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.simulators.questions.Question.Relation;
import dev.ludus.simulators.questions.QuestionGrammar.Ask;
import dev.ludus.simulators.questions.QuestionGrammar.Guess;
import dev.ludus.simulators.questions.QuestionGrammar.Unclear;
import dev.ludus.simulators.questions.QuestionGrammar.Utterance;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuestionGrammarTest {

  private static Question ask(String text) {
    Utterance u = QuestionGrammar.parse(text);
    assertInstanceOf(Ask.class, u, "'" + text + "' read as " + u);
    return ((Ask) u).question();
  }

  @Test
  void everyCanonicalQuestion_readsBackAsItself() {
    for (Question q : Question.all()) {
      assertEquals(new Ask(q), QuestionGrammar.parse(q.text()), q.text());
      assertEquals(new Ask(q), QuestionGrammar.parse(q.text().toUpperCase(Locale.ROOT)), q.text());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Is it an animal?|CATEGORY|IS|animal",
      "is it a living creature|ALIVE|IS|yes",
      "Is it red?|COLOR|IS|red",
      "Is it GRAY in color?|COLOR|IS|grey",
      "Is it bigger than a breadbox?|SIZE|MORE_THAN|small",
      "Is it larger than a bread box?|SIZE|MORE_THAN|small",
      "Is it smaller than a person?|SIZE|LESS_THAN|large",
      "Is it large?|SIZE|IS|large",
      "Is it big?|SIZE|IS|large",
      "Can it fly?|FLIES|IS|yes",
      "Does it have 4 legs?|LEGS|IS|4",
      "Does it have four legs?|LEGS|IS|4",
      "Is it four-legged?|LEGS|IS|4",
      "Does it have no legs?|LEGS|IS|0",
      "Does it have legs?|LEGS|MORE_THAN|0",
      "Does it have more than two wheels?|WHEELS|MORE_THAN|2",
      "Does it have at least 2 wheels?|WHEELS|MORE_THAN|1",
      "Does it have at most 2 wheels?|WHEELS|LESS_THAN|3",
      "Does it have fewer than 3 legs?|LEGS|LESS_THAN|3",
      "Is it alive?|ALIVE|IS|yes",
      "Is it made of metal?|MATERIAL|IS|metal",
      "Is it wooden?|MATERIAL|IS|wood",
      "Does it live in the sea?|HABITAT|IS|ocean",
      "Would I find it in a house?|HABITAT|IS|home",
      "Can you eat it?|EDIBLE|IS|yes",
      "Is it food?|EDIBLE|IS|yes",
      "Does it plug in?|ELECTRIC|IS|yes",
      "Is it a mammal?|GROUP|IS|mammal",
      "Is it a musical instrument?|CATEGORY|IS|instrument",
      "Hmm, let me think. It has to be something. Is it round?|SHAPE|IS|round",
      "<answer>Is it a fruit?</answer>|CATEGORY|IS|fruit",
      "So it is not a tool. Is it a vehicle??|CATEGORY|IS|vehicle",
      "Is it an animal? ?|CATEGORY|IS|animal",
      "Does it have wheels like a car?|WHEELS|MORE_THAN|0",
  })
  void questions_areReadLeniently(String text, Attribute attribute, Relation relation, String value) {
    assertEquals(new Question(attribute, relation, value), ask(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Is it a zebra?|zebra",
      "is it zebra|zebra",
      "guess: zebra|zebra",
      "My guess is a zebra.|zebra",
      "<answer>zebra</answer>|zebra",
      "I think the answer is <answer> Zebra </answer>.|zebra",
      "Zebra?|zebra",
      "I think it's a zebra!|zebra",
      "Could it be a bike?|bicycle",
      "Is it a goldfish?|goldfish",
      "Are you thinking of cats?|cat",
      "Is it a red apple?|apple",
      "Is it a sailing boat?|sailboat",
  })
  void guesses_nameOneItem(String text, String item) {
    assertEquals(new Guess(Catalogue.find(item).orElseThrow()), QuestionGrammar.parse(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|The message is empty.",
      "%%% ??? not an action at all|I do not know that question.",
      "Is it not red?|I answer only questions without \"not\".",
      "Isn't it red?|I answer only questions without \"not\".",
      "Is it red or blue?|Ask about one thing at a time, without \"or\".",
      "How many legs does it have?|I answer only yes/no questions.",
      "Is it a red fruit?|Ask about one attribute at a time.",
      "Is it a cat like a dog?|Name one thing at a time.",
      "<answer>cat dog</answer>|Name one thing at a time.",
      "Is it bigger than a car?|I compare sizes only with a coin, a breadbox or a person.",
      "Is it shiny?|I do not know that question.",
      "Does it eat grass?|I do not know that question.",
      "Is it in the living room?|I do not know that question.",
  })
  void unclearMessages_getTheirReason(String text, String reason) {
    assertEquals(new Unclear(reason), QuestionGrammar.parse(text));
  }

  @Test
  void veryLongOrOddInput_isUnclearNotAnError() {
    assertInstanceOf(Unclear.class, QuestionGrammar.parse("x".repeat(10_000)));
    assertInstanceOf(Unclear.class, QuestionGrammar.parse("?".repeat(10_000)));
    assertInstanceOf(Unclear.class, QuestionGrammar.parse(null));
    assertInstanceOf(Unclear.class, QuestionGrammar.parse("Does it have 99999999999 legs?"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Yes.", "yes! It is the cat.", "  YES"})
  void readReply_yes(String reply) {
    assertEquals(Optional.of(true), QuestionGrammar.readReply(reply));
  }

  @Test
  void readReply_noAndNeither() {
    assertEquals(Optional.of(false), QuestionGrammar.readReply("No, that's not it."));
    assertEquals(Optional.of(false), QuestionGrammar.readReply("No."));
    assertEquals(Optional.empty(), QuestionGrammar.readReply("I don't understand. Name one thing at a time."));
    assertEquals(Optional.empty(), QuestionGrammar.readReply("Nothing"));
  }

  @Test
  void help_namesNoCatalogueItem() {
    String help = QuestionGrammar.help().toLowerCase(Locale.ROOT);
    for (Item it : Catalogue.items()) {
      assertFalse(help.contains(it.name()), "help mentions '" + it.name() + "'");
    }
    assertTrue(help.contains("bigger than a breadbox"));
  }

  @Test
  void unclearReasons_nameNoCatalogueItemAndReadAsNeitherYesNorNo() {
    for (String reason : QuestionGrammar.reasons()) {
      String reply = TwentyQuestionsUser.notUnderstood(reason);
      assertEquals(Optional.empty(), QuestionGrammar.readReply(reply));
      for (Item it : Catalogue.items()) {
        assertFalse(reply.toLowerCase(Locale.ROOT).contains(it.name()), reply + " mentions " + it.name());
      }
    }
  }
}
