package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunLengthTest {

    @Test
    void aContinuousFeaturesRepeatsAreSurprisingFromTheFirstAndMoreSoTheLongerTheRun() {
        RunLength runs = new RunLength(1023, 31, 4);
        SplittableRandom random = new SplittableRandom(1);
        for (int t = 0; t < 2000; t++) {
            assertThat(runs.observe(random.nextDouble())).isZero();
        }
        runs.observe(0.5); // a change; from here on each 0.5 repeats it
        double previous = runs.observe(0.5);
        // one start in about 900 changes (remembered with exponential weights over 1,023): about 3 decades
        assertThat(previous).isBetween(2.8, 3.3);
        for (int repeat = 2; repeat <= 31; repeat++) {
            double surprise = runs.observe(0.5);
            assertThat(surprise).isGreaterThan(previous);
            previous = surprise;
        }
        assertThat(previous).isGreaterThan(8);
    }

    @Test
    void runsAsLongAsTheFeaturesOwnAreNormalLongerOnesAreNot() {
        RunLength runs = new RunLength(1023, 31, 4);
        double value = 0;
        double most = 0;
        for (int t = 0; t < 300; t++) {
            // a change, then a run of 1 to 5 repeats, then a change: runs start after about half the changes
            runs.observe(++value);
            runs.observe(++value);
            for (int repeat = 0; repeat < 1 + t % 5; repeat++) {
                most = Math.max(most, runs.observe(value));
            }
        }
        assertThat(most).as("the feature's own runs").isLessThan(3);
        runs.observe(++value);
        double stuck = 0;
        for (int repeat = 0; repeat < 20; repeat++) {
            stuck = runs.observe(value);
        }
        assertThat(stuck).as("a run four times its longest").isGreaterThan(4);
    }

    @Test
    void aRunLongerThanTheAdoptionIsTheNewNormalButStaysStuckUntilItEnds() {
        RunLength runs = new RunLength(1023, 31, 4);
        SplittableRandom random = new SplittableRandom(2);
        for (int t = 0; t < 500; t++) {
            runs.observe(random.nextDouble());
        }
        runs.observe(7);
        for (int repeat = 0; repeat < 31; repeat++) {
            assertThat(runs.observe(7)).isGreaterThan(0);
        }
        assertThat(runs.observe(7)).isZero();
        assertThat(runs.stuck())
                .as("adopted, but its values are still no evidence of the level")
                .isTrue();
        runs.observe(8);
        assertThat(runs.stuck()).isFalse();
    }

    @Test
    void aRestoredRunGoesOnAsTheOriginal() {
        RunLength original = new RunLength(1023, 31, 4);
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 3000; t++) {
            original.observe(random.nextInt(4));
        }
        original.observe(9);
        original.observe(9);
        RunLength restored = new RunLength(1023, 31, 4);
        restored.restore(original.state());
        for (int t = 0; t < 50; t++) {
            double value = t < 10 ? 9 : random.nextInt(4);
            assertThat(restored.observe(value)).isEqualTo(original.observe(value));
        }
    }
}
