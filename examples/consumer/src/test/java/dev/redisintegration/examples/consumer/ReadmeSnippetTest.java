package dev.redisintegration.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The root README's example cannot drift from code that compiles and runs: its code block must equal the lines between
 * the snippet markers of {@link UsingTheLibraries}, and this project must consume the version the repository builds.
 */
class ReadmeSnippetTest {

  private static final String SNIPPET = "using-the-libraries";
  private static final Path ROOT = Path.of(System.getProperty("repository.root", "../..")).toAbsolutePath().normalize();
  private static final Path SOURCE = ROOT.resolve(
      "examples/consumer/src/main/java/dev/redisintegration/examples/consumer/UsingTheLibraries.java");
  private static final Path README = ROOT.resolve("README.md");

  @Test
  void readmeCodeBlockIsTheSnippetOfTheExampleProgram() throws IOException {
    String snippet = snippet(Files.readAllLines(SOURCE), SNIPPET);
    String block = readmeBlock(Files.readAllLines(README), SNIPPET);

    assertThat(block)
        .as("the ```java block after '<!-- snippet: %s' in %s must equal the lines between the snippet markers of"
            + " %s (edit the program, then paste this into the README):%n%s", SNIPPET, README, SOURCE, snippet)
        .isEqualTo(snippet);
  }

  @Test
  void consumesTheVersionTheRepositoryBuilds() throws IOException {
    Matcher parent = Pattern.compile(
            "<artifactId>redis-integration-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));

    assertThat(parent.find()).as("version of redis-integration-parent in %s", ROOT.resolve("pom.xml")).isTrue();
    assertThat(System.getProperty("redis-integration.version"))
        .as("redis-integration.version in examples/consumer/pom.xml")
        .isEqualTo(parent.group(1));
  }

  /** The lines between {@code // snippet-start: name} and {@code // snippet-end}, without their common indentation. */
  static String snippet(List<String> source, String name) {
    int start = indexOf(source, line -> line.strip().equals("// snippet-start: " + name), 0, "snippet-start " + name);
    int end = indexOf(source, line -> line.strip().equals("// snippet-end"), start + 1, "snippet-end after " + name);
    List<String> lines = source.subList(start + 1, end);
    int indent = lines.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return String.join("\n", out);
  }

  /** The fenced {@code java} block right after the line {@code <!-- snippet: name ... -->}. */
  static String readmeBlock(List<String> readme, String name) {
    int marker = indexOf(readme, line -> line.startsWith("<!-- snippet: " + name), 0, "'<!-- snippet: " + name + "'");
    if (marker + 1 >= readme.size() || !readme.get(marker + 1).equals("```java")) {
      throw new AssertionError("README: '```java' must follow the line '<!-- snippet: " + name + " ...'");
    }
    int end = indexOf(readme, line -> line.equals("```"), marker + 2, "closing ``` of the snippet " + name);
    return String.join("\n", readme.subList(marker + 2, end).stream().map(String::stripTrailing).toList());
  }

  private static int indexOf(List<String> lines, Predicate<String> match, int from, String what) {
    for (int i = from; i < lines.size(); i++) {
      if (match.test(lines.get(i))) {
        return i;
      }
    }
    throw new AssertionError("not found: " + what);
  }
}
