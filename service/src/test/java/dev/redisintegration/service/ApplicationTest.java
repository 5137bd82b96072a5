package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(Map<String, String> env) {
        return Application.checkEnvironment(env, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void malformedEndpointIsRejectedWithOneLineNamingTheVariable() {
        int status = check(Map.of("REDIS_PRIMARY_ENDPOINT", "redis://:hunter2@host:notaport"));

        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(message)
                .contains("REDIS_PRIMARY_ENDPOINT")
                .doesNotContain("hunter2")
                .doesNotContain("\tat ");
        assertThat(message.strip().lines()).hasSize(1);
    }

    @Test
    void validOrAbsentEndpointPasses() {
        assertThat(check(Map.of())).isZero();
        assertThat(check(Map.of("REDIS_PRIMARY_ENDPOINT", "redis.example:6380")))
                .isZero();
        assertThat(err.size()).isZero();
    }
}
