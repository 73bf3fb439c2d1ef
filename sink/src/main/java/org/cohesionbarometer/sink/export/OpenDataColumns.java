package org.cohesionbarometer.sink.export;

import java.util.List;

/**
 * The columns of the open-data export, in order, each with what a data portal's reader needs to
 * know: its unit, what it means, how many decimals are worth publishing, and when it is withheld
 * (which name in the {@code withheld} column says so). The export's CSV and its data dictionary
 * are both written from this one list.
 */
final class OpenDataColumns {

    /**
     * @param name        the CSV header, as in the view {@code published_open_data_<period>}
     * @param datatype    CSVW datatype: string, dateTime, boolean, integer, decimal
     * @param unit        the unit, in words
     * @param decimals    digits after the point for decimals (-1: not a decimal)
     * @param description what the column says
     * @param withheldAs  the name in {@code withheld} when this column is empty for privacy, or null
     */
    record Column(String name, String datatype, String unit, int decimals, String description, String withheldAs) {
    }

    static final List<Column> ALL = List.of(
            new Column("neighbourhood_id", "string", "", -1, "The neighbourhood's identifier in the city's reference data.", null),
            new Column("neighbourhood", "string", "", -1, "The neighbourhood's name.", null),
            new Column("city", "string", "", -1, "The city.", null),
            new Column("bucket_start", "dateTime", "UTC", -1, "Start of the day or week (weeks start on Monday, 00:00 UTC).", null),
            new Column("bucket_end", "dateTime", "UTC", -1, "End of the day or week (exclusive).", null),
            new Column("is_final", "boolean", "", -1, "true once no late signal can change the period any more"
                    + " (the grace period after its last hour is over); until then late paper sheets may still add to it.", null),
            new Column("k", "integer", "people, contacts or taps", -1, "The privacy threshold: a value resting on fewer than k"
                    + " people, contacts or taps is withheld.", null),
            new Column("check_ins", "integer", "check-ins", -1, "Check-ins at the neighbourhood's activities.", "headcount"),
            new Column("headcount", "integer", "people (visits)", -1, "People counted at check-in, a group of several counted"
                    + " as its headcount; a person who came twice counts twice.", "headcount"),
            new Column("gini_simpson", "decimal", "probability, 0 to 1", 3, "Diversity of attendance: the chance that two"
                    + " people drawn at random declared different background groups (Gini-Simpson index).", "diversity"),
            new Column("evenness", "decimal", "0 to 1", 3, "How evenly attendance spreads over the groups present"
                    + " (Shannon entropy divided by its maximum); 1 = all groups equally.", "diversity"),
            new Column("contacts", "integer", "contacts", -1, "Mixing contacts recorded (two people who met at an activity).", "mixing"),
            new Column("cross_group_share", "decimal", "share, 0 to 1", 3, "Of the contacts whose two people declared a"
                    + " group, the share between different groups.", "mixing"),
            new Column("cross_group_share_lower95", "decimal", "share, 0 to 1", 3, "Lower end of its 95% interval (Wilson).", "mixing"),
            new Column("cross_group_share_upper95", "decimal", "share, 0 to 1", 3, "Upper end of its 95% interval (Wilson).", "mixing"),
            new Column("cohesion_index", "decimal", "index points, 0 to 100", 1, "Composite cohesion index (participation,"
                    + " diversity, mixing, sentiment): the headcount-weighted mean of the period's published hours. A proxy,"
                    + " not a survey measure. Empty when no hour of the period published one.", null),
            new Column("cohesion_index_lower95", "decimal", "index points, 0 to 100", 1, "Lower end of its 95% interval,"
                    + " from how much the period's hours differ (empty with a single hour).", null),
            new Column("cohesion_index_upper95", "decimal", "index points, 0 to 100", 1, "Upper end of that interval.", null),
            new Column("sentiment_taps", "integer", "taps", -1, "Taps on the kiosks' smiley buttons.", "sentiment"),
            new Column("sentiment_index", "decimal", "index points, 0 to 100", 1, "Mean of the taps, the lowest button"
                    + " scored 0 and the highest 100.", "sentiment"),
            new Column("sentiment_index_lower95", "decimal", "index points, 0 to 100", 1, "Lower end of its 95% interval"
                    + " (normal approximation).", "sentiment"),
            new Column("sentiment_index_upper95", "decimal", "index points, 0 to 100", 1, "Upper end of that interval.", "sentiment"),
            new Column("withheld", "string", "", -1, "Which figures of the row were withheld for privacy, separated by ';':"
                    + " headcount (fewer than k people: check_ins, headcount and everything resting on them), diversity"
                    + " (fewer than k people declared a group: gini_simpson, evenness), mixing (fewer than k contacts:"
                    + " contacts, cross_group_share and its interval), sentiment (fewer than k taps: the sentiment columns)."
                    + " The cohesion index is empty when no hour of the period published one.", null));

    private OpenDataColumns() {
    }
}
