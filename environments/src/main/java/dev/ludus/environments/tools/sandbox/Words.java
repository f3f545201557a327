package dev.ludus.environments.tools.sandbox;

import java.util.List;

/** Word banks for sampled states and requests. */
final class Words {
  private Words() {}

  static final List<String> PEOPLE = List.of("Alice", "Bob", "Carol", "Dmitri", "Elena", "Farid", "Grace", "Hiro",
      "Ines", "Jonas", "Keiko", "Liam", "Maya", "Nikos", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara");
  static final List<String> OWNERS = List.of("alex", "sam", "robin", "jordan", "casey", "taylor", "morgan", "riley");
  static final List<String> FOLDERS = List.of("documents", "projects", "photos", "archive", "reports", "drafts",
      "music", "invoices", "notes", "backup", "research", "travel");
  static final List<String> FILES = List.of("report.txt", "notes.md", "budget.csv", "todo.txt", "summary.txt",
      "plan.md", "ideas.txt", "log.txt", "draft.md", "contacts.csv", "readme.md", "agenda.txt", "recipe.txt",
      "poem.txt", "data.csv", "letter.txt");
  static final List<String> NEW_NAMES = List.of("final.txt", "copy.txt", "old.md", "v2.md", "temp.txt",
      "output.csv", "review.md", "backup.txt", "archive.txt", "results.txt", "memo.txt", "outline.md");
  static final List<String> NEW_FOLDERS = List.of("temp", "old", "shared", "q3", "misc", "work", "personal",
      "exports", "inbox", "scratch", "release", "review");
  static final List<String> LINES = List.of("Meeting moved to Thursday at ten.", "Buy milk, eggs and coffee.",
      "The budget for March is under review.", "Call the plumber about the kitchen sink.",
      "Draft the quarterly report before Friday.", "The server restarted twice last night.",
      "Remember to water the plants.", "Invoice 4471 was paid in full.", "Book tickets for the concert.",
      "The new design uses a darker palette.", "Ship the release candidate on Monday.",
      "Lunch with the team on Wednesday.", "Check the results of the survey.", "Renew the passport in June.");
  static final List<String> SHORT_TEXTS = List.of("See you at noon", "The files are ready", "Please call me back",
      "Happy birthday", "Running ten minutes late", "Thanks for the help", "Lunch tomorrow?", "Meeting is cancelled",
      "Report sent", "Good luck today", "Dinner at eight", "The package arrived");
  static final List<String> TOPICS = List.of("printer", "login", "invoice", "laptop", "network", "email", "badge",
      "monitor", "vpn", "calendar", "backup", "phone");
  static final List<String> MEMORY_KEYS = List.of("wifi_password", "locker_code", "dentist", "car_plate", "gym_time",
      "favourite_tea", "parking_spot", "bike_lock", "door_code", "mentor", "shoe_size", "book_club");
  static final List<String> MEMORY_VALUES = List.of("blue-otter-42", "1837", "Dr. Patel on Tuesdays", "KX 4521",
      "7 am", "jasmine green", "level 2, spot 31", "9021", "4412#", "Ms. Osei", "42", "first Monday");
}
