package com.gpudash.query.audit;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

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
}
