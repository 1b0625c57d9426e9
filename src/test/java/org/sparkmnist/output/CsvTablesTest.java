package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.DataSettings;

class CsvTablesTest {

    /** softmax of the synthetic run: 92 of each class's 100 test digits right, 8 predicted as the next class. */
    private static final ModelReport SOFTMAX = SyntheticRun.bothModels().get(0);

    @Test
    void classesHasOneRowPerLabelWithItsNameLast() {
        List<String> rows = CsvTables.classes(SOFTMAX.test().evaluation(), DataSettings.labelsAsNames(10)).lines().toList();
        assertEquals("class,precision,recall,f1,support,name", rows.get(0));
        assertEquals(11, rows.size());
        assertEquals("0,0.920000,0.920000,0.920000,100,0", rows.get(1));
        assertEquals("9,0.920000,0.920000,0.920000,100,9", rows.get(10));
    }

    @Test
    void aNameWithACommaOrQuoteIsQuotedAsRfc4180Has() {
        List<String> names = new ArrayList<>(DataSettings.labelsAsNames(10));
        names.set(0, "T-shirt/top");
        names.set(1, "boots, ankle");
        names.set(2, "the \"other\" one");
        List<String> rows = CsvTables.classes(SOFTMAX.test().evaluation(), names).lines().toList();
        assertEquals("0,0.920000,0.920000,0.920000,100,T-shirt/top", rows.get(1));
        assertEquals("1,0.920000,0.920000,0.920000,100,\"boots, ankle\"", rows.get(2));
        assertEquals("2,0.920000,0.920000,0.920000,100,\"the \"\"other\"\" one\"", rows.get(3));
    }
}
