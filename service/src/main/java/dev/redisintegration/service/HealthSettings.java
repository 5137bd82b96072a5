package dev.redisintegration.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The service's {@code health.*} configuration, bound by Micronaut from any property source: application.yml, system
 * properties ({@code -Dhealth.check.timeout=300ms}) or environment variables ({@code HEALTH_CHECK_TIMEOUT=300ms}).
 *
 * <p>The defaults are defined here and nowhere else: in the {@code DEFAULT_*} constants that the {@link Bindable}
 * annotations use (application.yml sets no {@code health.*} key). The README's configuration table states the same
 * values, and {@code HealthSettingsTest} fails when either changes alone.
 *
 * @param check {@code health.check.*}.
 * @param cache {@code health.cache.*}.
 * @param shutdown {@code health.shutdown.*}.
 * @since 0.1
 */
@ConfigurationProperties(HealthSettings.PREFIX)
public record HealthSettings(Check check, Cache cache, Shutdown shutdown) {

    /** The prefix of every key. */
    public static final String PREFIX = "health";

    /**
     * {@code health.check.*}.
     *
     * @param timeout deadline of each check ({@code health.check.timeout}); an overrun is DOWN "timed out after ...".
     */
    @ConfigurationProperties("check")
    public record Check(
            @Bindable(defaultValue = Check.DEFAULT_TIMEOUT) Duration timeout) {

        /** Default of {@code health.check.timeout}: a whole answer fits Kubernetes' default 1 s probe timeout. */
        public static final String DEFAULT_TIMEOUT = "500ms";

        /**
         * Validates the timeout.
         *
         * @param timeout see {@link #timeout()}; positive.
         */
        public Check {
            requireNotNegative("health.check.timeout", timeout);
            if (timeout.isZero()) {
                throw new IllegalArgumentException("health.check.timeout must be positive, was 0 (for example 500ms)");
            }
        }
    }

    /**
     * {@code health.cache.*}: how long a check's outcome is reused; zero disables caching of that outcome.
     *
     * @param successTtl how long an UP result is reused ({@code health.cache.success-ttl}).
     * @param failureTtl how long any other result is reused ({@code health.cache.failure-ttl}).
     */
    @ConfigurationProperties("cache")
    public record Cache(
            @Bindable(defaultValue = Cache.DEFAULT_SUCCESS_TTL)
            Duration successTtl,

            @Bindable(defaultValue = Cache.DEFAULT_FAILURE_TTL)
            Duration failureTtl) {

        /** Default of {@code health.cache.success-ttl}: a healthy Redis is asked rarely. */
        public static final String DEFAULT_SUCCESS_TTL = "5m";
        /** Default of {@code health.cache.failure-ttl}: a recovery shows up sooner than a failure is forgotten. */
        public static final String DEFAULT_FAILURE_TTL = "1m";

        /**
         * Validates the TTLs.
         *
         * @param successTtl see {@link #successTtl()}; not negative.
         * @param failureTtl see {@link #failureTtl()}; not negative.
         */
        public Cache {
            requireNotNegative("health.cache.success-ttl", successTtl);
            requireNotNegative("health.cache.failure-ttl", failureTtl);
        }
    }

    /**
     * {@code health.shutdown.*}.
     *
     * @param drainDelay how long readiness reports DOWN while the server still serves, before the graceful stop
     *                   begins ({@code health.shutdown.drain-delay}).
     */
    @ConfigurationProperties("shutdown")
    public record Shutdown(
            @Bindable(defaultValue = Shutdown.DEFAULT_DRAIN_DELAY)
            Duration drainDelay) {

        /**
         * Default of {@code health.shutdown.drain-delay}, for a process outside Kubernetes; the Kubernetes manifests
         * set 5 s, the time endpoint removal takes to reach every proxy (see dev-env/k8s/base/deployment.yaml).
         */
        public static final String DEFAULT_DRAIN_DELAY = "2s";

        /**
         * Validates the delay.
         *
         * @param drainDelay see {@link #drainDelay()}; not negative.
         */
        public Shutdown {
            requireNotNegative("health.shutdown.drain-delay", drainDelay);
        }
    }

    private static void requireNotNegative(String key, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set (for example 500ms, 5m)");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, was " + value);
        }
    }
}
