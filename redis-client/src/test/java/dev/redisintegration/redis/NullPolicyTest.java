package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** One null policy: NPE naming the parameter for null, IAE for a bad value, ISE for the wrong state. */
class NullPolicyTest {

    @Test
    void nullArgumentsFailWithANullPointerExceptionNamingTheParameter() {
        assertThatThrownBy(() -> RedisConnectionManager.create(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("settings must not be null");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("env must not be null");
        assertThatThrownBy(() -> RedisSettings.builder().host(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("host must not be null");
        assertThatThrownBy(() -> RedisSettings.builder().expectedRole(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("expectedRole must not be null");
        try (RedisConnectionManager manager =
                RedisConnectionManager.create(RedisSettings.builder().build())) {
            assertThatThrownBy(() -> manager.subscribe(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("listener must not be null");
            assertThatThrownBy(() -> manager.withExclusiveConnection(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("work must not be null");
            assertThatThrownBy(() -> manager.withExclusiveConnection(
                            null, connection -> connection.async().ping()))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("key must not be null");
            assertThatThrownBy(() -> manager.withExclusiveConnection("key", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("work must not be null");
        }
    }

    @Test
    void badValuesFailWithAnIllegalArgumentExceptionAndTheWrongStateWithAnIllegalStateException() {
        assertThatThrownBy(() -> RedisSettings.builder().host(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must not be blank");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_PING_TIMEOUT, "soon")))
                .isInstanceOf(IllegalArgumentException.class);
        RedisConnectionManager manager =
                RedisConnectionManager.create(RedisSettings.builder().build());
        manager.close();
        assertThatThrownBy(manager::probe).isInstanceOf(IllegalStateException.class);
    }
}
