package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.junit.jupiter.api.Test;

/** The city-day record may grow only in ways that readers on either side of an upgrade understand. */
class CityIndicatorsEvolutionTest {
    /** CityIndicators as released before the multigroup dissimilarity (issue #22). */
    private static final Schema BEFORE_ISSUE_22 = new Schema.Parser().parse("""
{
  "type": "record", "name": "CityIndicators", "namespace": "org.cohesionbarometer.schemas.indicator",
  "doc": "The whole city in one event-time day: how attendance spreads over activities and groups. Counts are additive; the segregation indices are derived from them, after small-cell suppression.",
  "fields": [
    {"name": "windowStart", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "windowEnd", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "headcount", "type": "long", "default": 0},
    {"name": "attendance", "type": {"type": "array", "items": {"type": "record", "name": "ActivityGroupCell", "fields": [
      {"name": "activityId", "type": "string"}, {"name": "groupCode", "type": "string"}, {"name": "headcount", "type": "long"}]}},
      "default": [], "doc": "Headcount per activity and declared group ('?' = undeclared)."},
    {"name": "isFinal", "type": "boolean", "default": false},
    {"name": "k", "type": "int", "default": 10},
    {"name": "withheld", "type": {"type": "array", "items": "string"}, "default": []},
    {"name": "publishedAttendance", "type": {"type": "array", "items": "ActivityGroupCell"}, "default": [],
     "doc": "Attendance cells with small cells withheld (primary and secondary suppression within each activity)."},
    {"name": "dissimilarity", "type": {"type": "array", "items": {"type": "record", "name": "GroupPairDissimilarity", "fields": [
      {"name": "groupA", "type": "string"}, {"name": "groupB", "type": "string"}, {"name": "index", "type": "double"}]}},
      "default": [], "doc": "Duncan's D for every pair of declared groups with at least k people each."},
    {"name": "theil", "type": ["null", "double"], "default": null, "doc": "Multi-group Theil information index H = M/E over activities."},
    {"name": "giniSimpson", "type": ["null", "double"], "default": null},
    {"name": "evenness", "type": ["null", "double"], "default": null}
  ]
}""");

    @Test
    void theCurrentSchemaReadsDaysWrittenBeforeTheMultigroupDissimilarityAndTheOldOneReadsNewDays() {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(CityIndicators.getClassSchema(), BEFORE_ISSUE_22)
                .getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(BEFORE_ISSUE_22, CityIndicators.getClassSchema())
                .getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void aDayWrittenBeforeReadsWithNoMultigroupDissimilarity() throws IOException {
        GenericRecord old = new GenericData.Record(BEFORE_ISSUE_22);
        old.put("windowStart", Instant.parse("2026-03-14T00:00:00Z").toEpochMilli());
        old.put("windowEnd", Instant.parse("2026-03-15T00:00:00Z").toEpochMilli());
        old.put("headcount", 450L);
        old.put("attendance", List.of());
        old.put("isFinal", true);
        old.put("k", 10);
        old.put("withheld", List.of());
        old.put("publishedAttendance", List.of());
        old.put("dissimilarity", List.of());
        old.put("theil", 0.25);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Encoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(BEFORE_ISSUE_22).write(old, encoder);
        encoder.flush();

        CityIndicators read = new SpecificDatumReader<CityIndicators>(BEFORE_ISSUE_22, CityIndicators.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getHeadcount()).isEqualTo(450);
        assertThat(read.getTheil()).isEqualTo(0.25);
        assertThat(read.getMultigroupDissimilarity()).isNull();
    }
}
