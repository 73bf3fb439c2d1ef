package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo city's evaluation report: Old Town's language café moves contacts that cross groups
 * from (0.25 + 0.5)/2 to (0.6 + 0.5)/2 of its gatherings' contacts, an effect of about 0.175 in the
 * demo city's model; the report must find it, show its three charts without any network, and
 * render as a picture in headless Chromium.
 */
class DemoCityReportIT {
    private static final Path REPORT = Path.of("target", "demo-city-report-it.html").toAbsolutePath();
    private static int exitCode;

    @BeforeAll
    static void writeTheReport() throws Exception {
        Files.createDirectories(REPORT.getParent());
        exitCode = DemoCityReport.write(REPORT);
    }

    @Test
    void theEstimateCoversTheEffectBuiltIntoTheDemoCity() throws Exception {
        assertThat(exitCode).isZero();
        JsonNode results = new ObjectMapper().readTree(REPORT.resolveSibling("demo-city-report-it.json").toFile());
        JsonNode did = results.path("differenceInDifferences").path("pooled");
        assertThat(did.path("lower95").asDouble()).isLessThan(0.175).isGreaterThan(0);
        assertThat(did.path("upper95").asDouble()).isGreaterThan(0.175);
    }

    @Test
    void theReportStandsAloneWithItsThreeChartsAndSaysWhichControlsItUsed() throws Exception {
        String html = Files.readString(REPORT);
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "@import", "url(");
        assertThat(html).contains("cross_group_share rose by", "<h2>Controls</h2>",
                "harbour-dinner (2026-03-09) started in the window", "With one treated neighbourhood");
    }

    @Test
    void headlessChromiumRendersTheReportAsAPicture() throws Exception {
        String chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium installed (Debian: apt-get install chromium)");
        Path png = REPORT.resolveSibling("demo-city-report-it.png");
        Files.deleteIfExists(png);
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--screenshot=" + png, "--window-size=1000,2400", REPORT.toUri().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();

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
        assertThat(blue).as("the treated series and the event-study points are drawn").isGreaterThan(100);
    }
}
