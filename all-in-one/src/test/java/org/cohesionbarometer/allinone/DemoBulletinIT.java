package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo city's November bulletin: made as the read-only role from the published views, it stands
 * alone, headless Chromium renders it and prints it on A4, and the numbers a council reads first
 * (the index, its interval, the people counted, the change on October, Riverton's rank in the
 * network) are those the published views hold.
 */
class DemoBulletinIT {
    private static final Path BULLETIN = Path.of("target", "demo-city-bulletin-it.html").toAbsolutePath();
    private static InJvmPostgres postgres;
    private static int exitCode;

    @BeforeAll
    static void writeTheBulletin() throws Exception {
        Files.createDirectories(BULLETIN.getParent());
        postgres = InJvmPostgres.startTemporary();
        DemoBulletin.prepare(postgres);
        exitCode = DemoBulletin.bulletin(postgres, BULLETIN);
    }

    @AfterAll
    static void stopTheDatabase() {
        postgres.close();
    }

    /** One value of the published views, read as the read-only role, formatted as the bulletin formats it. */
    private static String published(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), "barometer_dashboard", DemoBulletin.DASHBOARD_PASSWORD);
             ResultSet rs = db.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static String figure(String html, String name) {
        Matcher m = Pattern.compile("data-figure=\"" + name + "\">([^<]+)<").matcher(html);
        assertThat(m.find()).as("the bulletin shows " + name).isTrue();
        return m.group(1);
    }

    @Test
    void theBulletinStandsAloneAndSaysWhatAMonthlyReportShould() throws Exception {
        assertThat(exitCode).isZero();
        String html = Files.readString(BULLETIN);
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "@import", "url(");
        assertThat(html).contains("Riverton, November 2026", "The headline", "Neighbourhood by neighbourhood",
                "Strongest and weakest movers", "How people felt, by hour and weekday", "Activities and what evaluations found",
                "Language café at the library", "new this month", "Riverton in the network", "hand-entered",
                "How these figures are made", "@page{size:A4");
        assertThat(html).as("hours too small to publish are explained in words")
                .containsPattern("\\d+ of \\d+ neighbourhood-hours with activity this month had fewer than 10 people");
        assertThat(html).as("the café's stored evaluation").contains("<td>Language café at the library</td><td>cross_group_share</td>");
        assertThat(html).as("Riverton's bulletin shows Riverton's neighbourhoods only").contains("Old Town", "Hillside")
                .doesNotContain("The Quay", "North Shore", "Old Mill");
    }

    @Test
    void headlessChromiumRendersTheBulletinWhoseHeadlineNumbersAreThePublishedOnes() throws Exception {
        String chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium installed (Debian: apt-get install chromium; .ci/run tries)");
        Path dom = BULLETIN.resolveSibling("demo-city-bulletin-it.dom.html");
        Path pdf = BULLETIN.resolveSibling("demo-city-bulletin-it.pdf");
        Files.deleteIfExists(pdf);
        run(chromium, List.of("--dump-dom", BULLETIN.toUri().toString()), dom);
        run(chromium, List.of("--no-pdf-header-footer", "--print-to-pdf=" + pdf, BULLETIN.toUri().toString()), null);

        String rendered = Files.readString(dom, StandardCharsets.UTF_8);
        String month = "period = 'month' AND period_start = '2026-11-01T00:00:00Z'";
        String city = "FROM published_period_figures WHERE city = 'Riverton' AND neighbourhood_id = '' AND ";
        assertThat(figure(rendered, "index")).isEqualTo(published("SELECT to_char(cohesion_index, 'FM990.0') " + city + month));
        assertThat(figure(rendered, "index-lower")).isEqualTo(
                published("SELECT to_char(cohesion_index_lower95, 'FM990.0') " + city + month));
        assertThat(figure(rendered, "index-upper")).isEqualTo(
                published("SELECT to_char(cohesion_index_upper95, 'FM990.0') " + city + month));
        assertThat(figure(rendered, "people")).isEqualTo(published("SELECT people " + city + month));
        double change = Double.parseDouble(published("SELECT n.cohesion_index - o.cohesion_index FROM published_period_figures n "
                + "JOIN published_period_figures o USING (city, neighbourhood_id, period) WHERE n.city = 'Riverton' "
                + "AND n.neighbourhood_id = '' AND n.period = 'month' AND n.period_start = '2026-11-01T00:00:00Z' "
                + "AND o.period_start = '2026-10-01T00:00:00Z'"));
        assertThat(figure(rendered, "change").replace('−', '-')).isEqualTo(String.format(Locale.ROOT, "%+.1f", change));
        assertThat(rendered).contains("<tr data-network=\"cohesion_index\">").contains(published(
                "SELECT rank || ' of ' || network_cities FROM published_network_comparison WHERE city = 'Riverton' "
                        + "AND period = 'month' AND period_start = '2026-11-01T00:00:00Z' AND indicator = 'cohesion_index' "
                        + "AND basis = 'computed'"));

        String printed = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        Matcher pages = Pattern.compile("/Type\\s*/Page[^s]").matcher(printed);
        List<String> found = new ArrayList<>();
        while (pages.find()) {
            found.add(pages.group());
        }
        assertThat(found).as("printed on a few A4 pages").hasSizeBetween(2, 6);
        assertThat(printed).as("A4: 595 x 842 points").containsPattern("/MediaBox\\s*\\[\\s*0 0 59[45](\\.\\d+)? 84[12]");
    }

    private static void run(String chromium, List<String> arguments, Path output) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + BULLETIN.resolveSibling("chromium-profile")));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
    }
}
