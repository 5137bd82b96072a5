package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisProbeTest {

    @Test
    void detailsKeepTheirOrderAndCannotBeChanged() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "cluster");
        details.put("cluster_state", "ok");
        details.put("primaries", "3/3 answered");

        RedisProbe probe = new RedisProbe(true, Duration.ofMillis(2), null, ReplicationRole.UNKNOWN, details);
        details.put("later", "ignored");

        assertThat(probe.details().keySet()).containsExactly("mode", "cluster_state", "primaries");
        assertThatThrownBy(() -> probe.details().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theFactoriesAndTheShortConstructorHaveNoDetails() {
        assertThat(RedisProbe.up(Duration.ZERO, ReplicationRole.PRIMARY).details())
                .isEmpty();
        assertThat(RedisProbe.down(Duration.ZERO, "connection refused").details())
                .isEmpty();
        assertThat(new RedisProbe(false, Duration.ZERO, "timed out after 500 ms", ReplicationRole.UNKNOWN).details())
                .isEmpty();
        assertThatThrownBy(() -> new RedisProbe(true, Duration.ZERO, null, ReplicationRole.UNKNOWN, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("details must not be null");
    }
}
