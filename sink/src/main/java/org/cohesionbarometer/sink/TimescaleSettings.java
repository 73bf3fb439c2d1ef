package org.cohesionbarometer.sink;

import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.SignalAge;

/**
 * How the indicator tables are kept when the database has TimescaleDB.
 *
 * @param enabled       false: plain PostgreSQL tables and views even where TimescaleDB is installed
 * @param refreshWindow how far back the rollups' continuous aggregates are recomputed on each refresh;
 *                      late data older than this no longer changes the daily and weekly figures
 * @param refreshEvery  how often they are refreshed
 * @param compressAfter hourly rows are compressed once this old; later than the grace period, so that
 *                      windows still open for late data stay uncompressed
 * @param retention     hourly rows older than this are dropped (zero: kept for ever); the rollups keep
 *                      what they had aggregated
 */
public record TimescaleSettings(
        boolean enabled,
        Duration refreshWindow,
        Duration refreshEvery,
        Duration compressAfter,
        Duration retention) {

    public TimescaleSettings {
        if (refreshWindow.compareTo(Duration.ofDays(15)) < 0) {
            throw new IllegalArgumentException("BAROMETER_TIMESCALE_REFRESH_WINDOW: " + refreshWindow
                    + " is too short; the weekly rollup needs at least two weeks plus a day (P15D)");
        }
        if (!retention.isZero() && retention.compareTo(refreshWindow) <= 0) {
            throw new IllegalArgumentException("BAROMETER_TIMESCALE_RETENTION: " + retention
                    + " must be longer than the refresh window " + refreshWindow
                    + ", or rollups would be recomputed from rows already dropped");
        }
    }

    /** Defaults that follow the streams' default grace period (which follows the oldest signal the API accepts). */
    public static TimescaleSettings defaults() {
        return following(SignalAge.DEFAULT.windowGrace());
    }

    /**
     * Defaults for a grace period: the refresh window reaches back past the oldest hour that may
     * still change, to the start of its week; compression starts a day after that hour has closed.
     */
    static TimescaleSettings following(Duration grace) {
        return new TimescaleSettings(true, oldestWeekStillChanging(grace).plusDays(1), Duration.ofMinutes(15),
                grace.plusDays(1), Duration.ZERO);
    }

    /** A late signal may change an hour that ended a grace period ago, and so the week that hour is in. */
    private static Duration oldestWeekStillChanging(Duration grace) {
        return grace.plusHours(1).plusDays(7);
    }

    /**
     * From BAROMETER_TIMESCALE* variables; compression must start after the streams' grace period
     * (BAROMETER_GRACE, by default following BAROMETER_INGEST_MAX_AGE), and the rollups' refresh must
     * reach back to every week a late signal may still change.
     */
    public static TimescaleSettings fromEnvironment(Environment env) {
        Duration grace = env.duration("BAROMETER_GRACE", SignalAge.fromEnvironment(env).windowGrace());
        TimescaleSettings defaults = following(grace);
        TimescaleSettings settings = new TimescaleSettings(
                !env.string("BAROMETER_TIMESCALE", "auto").equalsIgnoreCase("off"),
                env.duration("BAROMETER_TIMESCALE_REFRESH_WINDOW", defaults.refreshWindow()),
                env.duration("BAROMETER_TIMESCALE_REFRESH_EVERY", defaults.refreshEvery()),
                env.duration("BAROMETER_TIMESCALE_COMPRESS_AFTER", defaults.compressAfter()),
                env.duration("BAROMETER_TIMESCALE_RETENTION", defaults.retention()));
        if (settings.refreshWindow().compareTo(oldestWeekStillChanging(grace)) < 0) {
            throw new IllegalArgumentException("BAROMETER_TIMESCALE_REFRESH_WINDOW: " + settings.refreshWindow()
                    + " must reach back at least the grace period (BAROMETER_GRACE " + grace + ") plus a week and an hour,"
                    + " or late signals would not reach the weekly figures");
        }
        if (settings.compressAfter().compareTo(grace.plusHours(1)) <= 0) {
            throw new IllegalArgumentException("BAROMETER_TIMESCALE_COMPRESS_AFTER: " + settings.compressAfter()
                    + " must be later than the grace period (BAROMETER_GRACE " + grace + ") plus the window's hour");
        }
        return settings;
    }
}
