package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/examples: one report per design, each made from data in the repository by the command
 * docs/examples/README.md shows. The committed copies must be what the command writes today
 * (regenerate them with {@code -Dgallery.write=true}); each report names the treated units, the
 * outcome and the start in its title, states the headline numbers of its JSON, gives every chart a
 * legend and axis titles, and renders as a picture in headless Chromium (skipped, saying so, where
 * Chromium is not installed).
 */
class ExampleGalleryTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path EXAMPLES = ROOT.resolve("docs/examples");
    static final Path OUT = Path.of("target", "gallery");

    /** A report of the gallery: its file name, the words its title must hold, the JSON path of its headline estimate. */
    record Example(String name, List<String> titleWords, String[] estimatePath, List<String> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Example> gallery() {
        String cafeShare = "share of contacts that cross groups, 0 to 1";
        String staggered = EXAMPLES.resolve(StaggeredExamplePanel.FILE).toString();
        return Stream.of(
                new Example("card-krueger-report", List.of("fte", "state = NJ", "after"),
                        new String[] {"differenceInDifferences", "pooled"},
                        List.of("--csv", ROOT.resolve("docs/data/card-krueger-1994-fte.csv").toString(), "--unit", "store",
                                "--outcome", "fte", "--outcome-unit", "FTE employees per store", "--treated", "state=NJ",
                                "--start", "after", "--permutations", "499")),
                new Example("language-cafe-report", List.of("cross_group_share", "treated = 1", "2026-W06"),
                        new String[] {"differenceInDifferences", "pooled"},
                        List.of("--csv", EXAMPLES.resolve("language-cafe-panel.csv").toString(), "--unit", "neighbourhood",
                                "--period", "week", "--outcome", "cross_group_share", "--outcome-unit", cafeShare,
                                "--treated", "treated=1", "--start", "2026-W06", "--permutations", "499")),
                new Example("staggered-activities-report", List.of("cross_group_share", "2026-W06", "2026-W10", "2026-W14"),
                        new String[] {"groupTimeEffects", "simple"},
                        List.of("--csv", staggered, "--unit", "neighbourhood", "--period", "week", "--outcome",
                                "cross_group_share", "--outcome-unit", cafeShare, "--first-treated", "first_week")),
                new Example("interrupted-time-series-report", List.of("cross_group_share", "first_week = 2026-W10", "2026-W10"),
                        new String[] {"interruptedTimeSeries", "levelChange"},
                        List.of("--csv", staggered, "--unit", "neighbourhood", "--period", "week", "--outcome",
                                "cross_group_share", "--outcome-unit", cafeShare, "--treated", "first_week=2026-W10",
                                "--start", "2026-W10", "--controls", "none")));
    }

    @BeforeAll
    static void writeTheReports() throws Exception {
        Files.createDirectories(OUT);
        boolean write = Boolean.getBoolean("gallery.write");
        if (write) {
            StaggeredExamplePanel.write(EXAMPLES);
        }
        assertThat(Files.readString(EXAMPLES.resolve(StaggeredExamplePanel.FILE)))
                .as("the simulated panel is as StaggeredExamplePanel makes it").isEqualTo(StaggeredExamplePanel.csv());
        for (Example e : gallery().toList()) {
            List<String> args = new ArrayList<>(e.args());
            args.addAll(List.of("--html", OUT.resolve(e.name() + ".html").toString(), "--json",
                    OUT.resolve(e.name() + ".json").toString()));
            CsvInputTest.Run run = CsvInputTest.evaluate(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(e.name() + ": " + run.err()).isZero();
            if (write) {
                Files.copy(OUT.resolve(e.name() + ".html"), EXAMPLES.resolve(e.name() + ".html"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("gallery")
    void theCommittedReportIsWhatTheCommandWritesToday(Example e) throws Exception {
        assertThat(Files.readString(EXAMPLES.resolve(e.name() + ".html")))
                .as("docs/examples/%s.html is stale: regenerate with -Dgallery.write=true", e.name())
                .isEqualTo(Files.readString(OUT.resolve(e.name() + ".html")));
    }

    @ParameterizedTest
    @MethodSource("gallery")
    void theTitleNamesTreatedOutcomeAndStartAndTheHeadlineStatesTheNumbers(Example e) throws Exception {
        String html = Files.readString(OUT.resolve(e.name() + ".html"));
        String title = html.substring(html.indexOf("<h1>") + 4, html.indexOf("</h1>"));
        assertThat(title).contains(e.titleWords().stream().map(HtmlReport::escape).toArray(String[]::new));
        JsonNode estimate = new ObjectMapper().readTree(OUT.resolve(e.name() + ".json").toFile());
        for (String step : e.estimatePath()) {
            estimate = estimate.path(step);
        }
        String headline = html.substring(html.indexOf("id=\"headline\""), html.indexOf("</p>", html.indexOf("id=\"headline\"")));
        assertThat(headline).contains(Chart.number(Math.abs(estimate.path("effect").asDouble())),
                Chart.number(estimate.path("lower95").asDouble()), Chart.number(estimate.path("upper95").asDouble()));
        assertThat(html).contains("id=\"pretrend\"", "id=\"placebo-time\"", "id=\"placebo-space\"");
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "@import", "url(");
        assertThat(html).as("outside CSV data get no barometer boilerplate").doesNotContain("not a survey", "withheld");
    }

    @ParameterizedTest
    @MethodSource("gallery")
    void everyChartHasALegendAndAxisTitles(Example e) throws Exception {
        String html = Files.readString(OUT.resolve(e.name() + ".html"));
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
            String chart = svg.group();
            assertThat(chart).as("chart %d of %s has a legend", charts, e.name()).contains("class=\"legend\"");
            assertThat(chart.split("class=\"legend\"")[1]).contains("<text");
            assertThat(chart.split("class=\"axis-title\"", -1).length - 1).as("x and y axis titles").isGreaterThanOrEqualTo(2);
        }
        assertThat(charts).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("gallery")
    void headlessChromiumRendersTheReportAsAPicture(Example e) throws Exception {
        String chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium installed (Debian: apt-get install chromium): the reports were not rendered");
        Path png = OUT.resolve(e.name() + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1000,2400",
                OUT.resolve(e.name() + ".html").toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished").isTrue();

        BufferedImage picture = ImageIO.read(png.toFile());
        assertThat(picture.getWidth()).isEqualTo(1000);
        Set<Integer> colours = new HashSet<>();
        int blue = 0;
        for (int y = 0; y < picture.getHeight(); y += 2) {
            for (int x = 0; x < picture.getWidth(); x += 2) {
                int rgb = picture.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                blue += rgb == 0x1F6FB2 ? 1 : 0;
            }
        }
        assertThat(colours.size()).as("a rendered page, not a blank one").isGreaterThan(50);
        assertThat(blue).as("the treated series or the effects are drawn").isGreaterThan(50);
    }
}
