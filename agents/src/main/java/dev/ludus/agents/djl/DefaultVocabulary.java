package dev.ludus.agents.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The word-level vocabulary used when the configuration names none: the numbers 0 to 100, punctuation and a
 * few hundred common English words, enough for toy games (guessing, yes/no questions, short answers).
 */
final class DefaultVocabulary {
  private DefaultVocabulary() {}

  private static final String WORDS = """
      . , ! ? ; : ' " ( ) [ ] { } - + * / = < > _ # @ $ %
      a about above after again all also am an and answer any are as ask at be because been before
      below between big both but by can cannot correct could did do does done down each easy end even
      every false few find first for found from game give go good got guess had has have he help her here
      high higher him his how i if in into is it its just know last less let like little look low lower
      make many may me more most much must my need next no not now number of off ok okay on once one only
      or other our out over play please question right same say see she should small so some start still
      such take tell than thank thanks that the their them then there these they thing think this those
      time to too try turn two under up us use very wait want was way we well were what when where which
      while who why will win with word would wrong yes yet you your
      zero three four five six seven eight nine ten hundred
      true false name answer hint clue secret search find tool call result query done finish
      """;

  static List<String> words() {
    List<String> out = new ArrayList<>();
    IntStream.rangeClosed(0, 100).forEach(i -> out.add(Integer.toString(i)));
    for (String w : WORDS.strip().split("\\s+")) {
      out.add(w);
    }
    return out;
  }
}
