package org.cohesionbarometer.evaluate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Evaluation results in the database table the activity-impact dashboard reads. */
final class EvaluationResults {

    record Row(String evaluationId, String activityId, List<String> treated, List<String> controls, String indicator,
               String method, LocalDate start, DifferenceInDifferences.Estimate estimate, int prePeriods, int postPeriods,
               List<String> warnings, String summary) {
    }

    static void store(Connection db, List<Row> rows) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO evaluation_results (evaluation_id, activity_id, neighbourhood_ids, control_ids, indicator, method,
                    start_date, estimate, std_error, ci_lower, ci_upper, p_value, pre_periods, post_periods, warnings, summary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (Row r : rows) {
                st.setString(1, r.evaluationId());
                st.setString(2, r.activityId());
                st.setArray(3, db.createArrayOf("text", r.treated().toArray()));
                st.setArray(4, db.createArrayOf("text", r.controls().toArray()));
                st.setString(5, r.indicator());
                st.setString(6, r.method());
                st.setObject(7, r.start());
                st.setObject(8, finite(r.estimate().effect()));
                st.setObject(9, finite(r.estimate().standardError()));
                st.setObject(10, finite(r.estimate().lower95()));
                st.setObject(11, finite(r.estimate().upper95()));
                st.setObject(12, finite(r.estimate().pValue()));
                st.setInt(13, r.prePeriods());
                st.setInt(14, r.postPeriods());
                st.setArray(15, db.createArrayOf("text", r.warnings().toArray()));
                st.setString(16, r.summary());
                st.addBatch();
            }
            st.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static List<Row> fromDifferenceInDifferences(EvaluateCommand.Intervention intervention, String indicator,
                                                 PublishedPanel.Loaded loaded, Map<String, Object> results) {
        String id = UUID.randomUUID().toString();
        DifferenceInDifferences.Result did = (DifferenceInDifferences.Result) results.get("differenceInDifferences");
        EventStudy.Result study = (EventStudy.Result) results.get("eventStudy");
        @SuppressWarnings("unchecked")
        List<String> warnings = (List<String>) results.get("warnings");
        int pre = loaded.periods().indexOf(loaded.startPeriod());
        int post = loaded.periods().size() - pre;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(id, intervention.activityId(), intervention.neighbourhoods(), loaded.controls(), indicator,
                "difference-in-differences (clustered by unit)", intervention.start(), did.pooled(), pre, post, warnings,
                summary(indicator, did.pooled(), "than in the control neighbourhoods")));
        if (study != null) {
            rows.add(new Row(id, intervention.activityId(), intervention.neighbourhoods(), loaded.controls(), indicator,
                    "event study: pre-trend test", intervention.start(),
                    new DifferenceInDifferences.Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, study.preTrendP(),
                            study.preTrendDf(), "F"), pre, post, warnings,
                    study.parallelTrendsDoubtful() ? "Treated and control neighbourhoods were not moving in parallel before "
                            + "the start: the difference-in-differences estimate is not trustworthy as it stands."
                            : "No sign that treated and control neighbourhoods moved differently before the start."));
        }
        return rows;
    }

    static Row fromInterruptedTimeSeries(EvaluateCommand.Intervention intervention, String indicator,
                                         PublishedPanel.Loaded loaded, InterruptedTimeSeries.Result its) {
        return new Row(UUID.randomUUID().toString(), intervention.activityId(), intervention.neighbourhoods(), List.of(),
                indicator, "interrupted time series: level change", intervention.start(), its.levelChange(), its.prePeriods(),
                its.postPeriods(), List.of(its.warning()), summary(indicator, its.levelChange(), "than its earlier trend predicted"));
    }

    static Row fromStaggered(StaggeredSource source, String indicator, int pre, int post, StaggeredAdoption.Result result) {
        List<String> warnings = new ArrayList<>(result.notes());
        if (result.parallelTrendsDoubtful()) {
            warnings.add("cohorts were not moving in parallel with the " + result.comparison().label + " before their start");
        }
        boolean never = result.comparison() == StaggeredAdoption.Comparison.NEVER_TREATED;
        return new Row(UUID.randomUUID().toString(), String.join(",", source.activityIds()), source.treatedUnits(),
                source.comparisonUnits(), indicator, "group-time effects (staggered starts, " + result.comparison().label
                + " controls)", source.firstStart(), result.overall(), pre, post, warnings,
                summary(indicator, result.overall(), never ? "than in neighbourhoods without any of the activities"
                        : "than in neighbourhoods where no activity had started yet"));
    }

    private static String summary(String indicator, DifferenceInDifferences.Estimate e, String comparedWith) {
        boolean clear = e.lower95() > 0 || e.upper95() < 0;
        return String.format(Locale.ROOT, "%s %s by %.3g more %s (95%% interval %.3g to %.3g). %s", indicator,
                e.effect() >= 0 ? "rose" : "fell", Math.abs(e.effect()), comparedWith, e.lower95(), e.upper95(),
                clear ? "The interval excludes zero." : "The interval includes zero: no effect is also compatible with the data.");
    }

    private EvaluationResults() {
    }
}
