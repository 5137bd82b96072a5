package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterProbeTest {

    @Test
    void contiguousSlotsWithOneProblemAreOneRangeAndRangesWithTheSameProblemGoTogether() {
        String described = ClusterProbe.describeRanges(slot -> {
            if (slot <= 5460) {
                return " (10.0.0.1:7000): timed out after 500 ms";
            }
            if (slot == 7000 || (slot >= 16000 && slot <= 16383)) {
                return ": not served by any node";
            }
            return null;
        });

        assertThat(described)
                .isEqualTo("slots 0-5460 (10.0.0.1:7000): timed out after 500 ms; "
                        + "slots 7000,16000-16383: not served by any node");
    }

    @Test
    void noProblemIsAnEmptyDescription() {
        assertThat(ClusterProbe.describeRanges(slot -> null)).isEmpty();
    }
}
