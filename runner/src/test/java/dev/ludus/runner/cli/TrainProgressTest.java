package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainProgressTest {
  @Test
  void everyLineFirstClearsTheBarsTerminalLine() {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(new TrainProgress.LineClearing(text), true);
    w.print("iter 1");
    w.print("/2\n");
    w.printf("iter %d/2%n", 2);
    w.flush();
    String clear = "\r\033[2K";
    assertEquals(clear + "iter 1/2\n" + clear + "iter 2/2" + System.lineSeparator(), text.toString());
  }
}
