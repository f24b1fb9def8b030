package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link and image of README.md and docs/ leads somewhere: the file exists (relative to the page), and
 * an {@code #anchor} into a Markdown page names one of its headings by GitHub's slug. Links in fenced code blocks and
 * in code spans are not links; {@code http:}, {@code https:}, {@code mailto:} and other URLs with a scheme are not
 * checked.
 */
class DocumentationLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}, with an optional {@code <...>} and title. */
    private static final Pattern INLINE_LINK =
            Pattern.compile("\\]\\(\\s*(?:<([^>]*)>|([^\\s)]+))(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");

    /** {@code [label]: target} (a reference definition). */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() {
        Path root = projectRoot();
        List<Path> pages = pages(root);
        assertThat(pages).contains(root.resolve("README.md"));
        assertThat(pages.size()).as("README.md and the docs/ pages").isGreaterThan(1);

        Result result = check(root, pages);

        assertThat(result.checked()).as("relative links checked").isGreaterThan(10);
        assertThat(result.broken())
                .as("broken links (page: target), %d checked", result.checked())
                .isEmpty();
    }

    @Test
    void aMissingFileAWrongAnchorAndAWrongAnchorIntoAnotherPageAreReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("README.md"), """
                # Title

                See [ok](docs/a.md), [ok anchor](docs/a.md#settings-producer), [ok image](docs/a.png),
                [self](#title), [external](https://example.com/nowhere.md), [mail](mailto:x@example.com),
                [gone](docs/gone.md), [bad anchor](docs/a.md#nope) and `[code span](docs/also-gone.md)`.

                ```
                [in a fence](docs/fenced-gone.md)
                ```
                """);
        Files.writeString(dir.resolve("docs/a.md"), """
                # A page

                ## Settings (`producer.*`)

                Back [up](../README.md#title), [bad self](#missing), [ok self](#a-page) and ![pic](a.png "title").
                """);
        Files.writeString(dir.resolve("docs/a.png"), "not really a picture");

        Result result = check(dir, pages(dir));

        assertThat(result.broken())
                .containsExactlyInAnyOrder(
                        "README.md: docs/gone.md (no such file)",
                        "README.md: docs/a.md#nope (no heading with that slug in docs/a.md)",
                        "docs/a.md: #missing (no heading with that slug in docs/a.md)");
        assertThat(result.checked()).isEqualTo(10);
    }

    @Test
    void slugsAreGitHubs() {
        assertThat(slugs("# Settings (`producer.*`)\n## REST and metrics\n## Deploy to AWS\n"))
                .containsExactlyInAnyOrder("settings-producer", "rest-and-metrics", "deploy-to-aws");
        assertThat(slugs("## How it scores (and why the defaults differ from KDA)\n"))
                .containsExactly("how-it-scores-and-why-the-defaults-differ-from-kda");
        assertThat(slugs("## Querying the archive (Athena)\n## A [link](x.md) in it\n"))
                .containsExactlyInAnyOrder("querying-the-archive-athena", "a-link-in-it");
        assertThat(slugs("## Limits\n## Limits\n```\n# not a heading\n```\n"))
                .containsExactlyInAnyOrder("limits", "limits-1");
    }

    record Result(int checked, List<String> broken) {}

    static Result check(Path root, List<Path> pages) {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            String from = root.relativize(page).toString();
            for (String target : links(read(page))) {
                if (SCHEME.matcher(target).find()) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? "" : target.substring(hash + 1);
                Path file = path.isEmpty()
                        ? page
                        : page.getParent()
                                .resolve(URLDecoder.decode(path, StandardCharsets.UTF_8))
                                .normalize();
                if (!Files.exists(file)) {
                    broken.add(from + ": " + target + " (no such file)");
                } else if (!anchor.isEmpty() && file.toString().endsWith(".md")) {
                    Set<String> known = anchors.computeIfAbsent(file, f -> slugs(read(f)));
                    if (!known.contains(anchor)) {
                        broken.add(
                                from + ": " + target + " (no heading with that slug in " + root.relativize(file) + ")");
                    }
                }
            }
        }
        return new Result(checked, broken);
    }

    /** The link and image targets of a Markdown text, outside fenced code blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher definition = REFERENCE_DEFINITION.matcher(line);
            if (definition.find()) {
                targets.add(definition.group(1));
            }
            Matcher link = INLINE_LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(1) != null ? link.group(1).trim() : link.group(2));
            }
        }
        return targets;
    }

    /** The anchors of a Markdown page: its headings' GitHub slugs (repeats suffixed -1, -2, ...) and HTML ids. */
    static Set<String> slugs(String markdown) {
        Set<String> slugs = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                slugs.add(repeat == 0 ? slug : slug + "-" + repeat);
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                slugs.add(id.group(1));
            }
        }
        return slugs;
    }

    /** GitHub's heading slug: lower case; only letters, digits, spaces, hyphens and underscores kept; spaces to -. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The lines of a Markdown text outside fenced code blocks. */
    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        String fence = null;
        for (String line : markdown.split("\\R", -1)) {
            Matcher opening = FENCE.matcher(line);
            if (fence == null && opening.find()) {
                fence = opening.group(1);
            } else if (fence != null) {
                String trimmed = line.strip();
                char mark = fence.charAt(0);
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == mark)) {
                    fence = null;
                }
            } else {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** The directory holding {@code mvnw}, from the working directory up. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
